package org.gallerybench.environments;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an environment holds and does, read from what exists (the engine's images and containers, the jar and its AOT
 * cache, the VM's domain and its service), never from what this process happened to do: a person acts on it. Each
 * state names the {@linkplain #actions actions} that make sense in it.
 */
public sealed interface EnvironmentStatus {

    /** What a person can do to an environment: its card's buttons, the CLI's env up and down. */
    enum Action { DEPLOY, START, STOP, RESTART, BOOT, HALT }

    /** A word or a few for people and logs: "ready", "ready to start", "stopped (exit 137: killed)". */
    String label();

    /** Nothing of this build is in place: no image, no installed server, no AOT cache. The detail says how to make it. */
    record Absent(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "absent";
        }
    }

    /** This build is in place (its image, its container, its install) and the server is not running: a start needs nothing else. */
    record Deployed(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "ready to start";
        }
    }

    /** What is in place, or runs, is another build than this one: a deploy replaces it. */
    record OtherBuild(String detail, boolean running) implements EnvironmentStatus {
        @Override
        public String label() {
            return running ? "running another build" : "another build";
        }
    }

    /**
     * The server is not running and stopped in a way worth saying ({@code how}: "exit 137: killed"; empty when there is
     * nothing to add).
     */
    record Stopped(String detail, String how) implements EnvironmentStatus {
        public Stopped(String detail) {
            this(detail, "");
        }

        @Override
        public String label() {
            return how.isEmpty() ? "stopped" : "stopped (" + how + ")";
        }
    }

    /** The machine the server runs in is not running (halted, or not created yet): it boots first. */
    record MachineOff(String detail, boolean created) implements EnvironmentStatus {
        @Override
        public String label() {
            return created ? "VM halted" : "no VM yet";
        }
    }

    /**
     * Another process, not this environment's, serves at its endpoint: nothing here can start or stop it. The detail
     * says what answers and what to do (stop it where it runs, or choose another port).
     */
    record Occupied(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "port taken";
        }
    }

    /** The server is running but has not answered 200 yet. */
    record Starting(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "starting";
        }
    }

    /** The server answers 200. */
    record Ready(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "ready";
        }
    }

    /** Something is wrong; the reason says what and how to fix it. */
    record Failed(String reason) implements EnvironmentStatus {
        @Override
        public String label() {
            return "failed";
        }
    }

    /** The detail or reason. */
    default String message() {
        return switch (this) {
            case Absent a -> a.detail();
            case Deployed d -> d.detail();
            case OtherBuild o -> o.detail();
            case Stopped s -> s.detail();
            case MachineOff m -> m.detail();
            case Occupied o -> o.detail();
            case Starting s -> s.detail();
            case Ready r -> r.detail();
            case Failed f -> f.reason();
        };
    }

    /**
     * The actions that make sense now, and only those: no deploy that would change nothing, no stop of what does not
     * run. {@code machine}: the environment has a machine of its own (Boot only while it is off, Halt while it is on).
     * A failure leaves every action open: what failed may be what a person fixes by trying again.
     */
    default Set<Action> actions(boolean machine) {
        Set<Action> actions = switch (this) {
            case Absent a -> EnumSet.of(Action.DEPLOY, Action.START);
            case Deployed d -> EnumSet.of(Action.START);
            case OtherBuild o -> o.running() ? EnumSet.of(Action.DEPLOY, Action.STOP) : EnumSet.of(Action.DEPLOY, Action.START);
            case Stopped s -> EnumSet.of(Action.START);
            case MachineOff m -> EnumSet.noneOf(Action.class);
            case Occupied o -> EnumSet.noneOf(Action.class);
            case Starting s -> EnumSet.of(Action.STOP);
            case Ready r -> EnumSet.of(Action.STOP, Action.RESTART);
            case Failed f -> EnumSet.of(Action.DEPLOY, Action.START, Action.STOP, Action.RESTART);
        };
        if (machine) {
            if (this instanceof MachineOff || this instanceof Failed) {
                actions.add(Action.BOOT);
            }
            if (!(this instanceof MachineOff)) {
                actions.add(Action.HALT);
            }
        }
        return actions;
    }
}
