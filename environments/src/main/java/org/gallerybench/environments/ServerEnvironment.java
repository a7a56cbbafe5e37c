package org.gallerybench.environments;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * The one lifecycle of every environment, as a template (the way Testcontainers' GenericContainer owns start, wait
 * and stop while each container says only what differs): start, stop, restart, cold start and the store reset are
 * written here once, and this is the only place that times a start ({@link StartTiming}) or explains one that did
 * not answer. An environment says only:
 * <ul>
 * <li>what a start needs first, untimed ({@link #prepare()}: a deployed build, a container of it, the machine up);</li>
 * <li>how to issue a stop ({@link #issueStop()}) and a start ({@link #issueStart});</li>
 * <li>whether its server is alive, how it ended, and its log tail;</li>
 * <li>how its readiness is probed ({@link #probe()}), and how the shared reset script reaches its store
 * ({@link #runStoreReset}).</li>
 * </ul>
 * Lifecycle operations hold one lock, apart from {@code this}, so that a status read is never queued behind a start.
 */
public abstract class ServerEnvironment implements Environment, StoreControl {
    private final Object lifecycle = new Object();

    // ---- what each environment says ----

    /** What a start needs first, not timed: checks the build is deployed, makes the container, boots the machine. */
    protected abstract void prepare();

    /** Stops the server and returns once it is stopped; does nothing when it does not run. */
    protected abstract void issueStop();

    /** Issues the start and returns once the server runs (process spawned, container started, systemctl returned). */
    protected abstract void issueStart();

    /** Whether the server runs (the process, the container, the service). */
    protected abstract boolean alive();

    /** How it ended, for a server that no longer runs: "The local server exited with code 1". */
    protected abstract String ended();

    /** Its last log lines, oldest first. */
    protected abstract List<String> logTail(int lines);

    /** What the log tail is, as a heading: "Last lines of /data/local/server.log", "Last log lines". */
    protected abstract String logName();

    /** The readiness probe for this environment's server, with its deadline and build. */
    protected abstract ReadinessProbe probe();

    /**
     * Runs the shared reset script ({@code script}, a file on this machine) against the stopped server's store, with
     * the dataset; returns the script's last line.
     */
    protected abstract String runStoreReset(Path script, Dataset dataset);

    /** For a server that runs but does not answer: stop it, or leave it as it is. */
    protected void stuck() {
    }

    /** A hint for a server that runs but does not answer, appended to the message; empty for none. */
    protected String stuckHint() {
        return "";
    }

    /** Turns a client library's exception into one that says what to do (Docker's errors); as it is by default. */
    protected RuntimeException explain(RuntimeException e) {
        return e;
    }

    // ---- the template ----

    /** Starts the server if it does not run (timed, kind "start"), and waits for its first 200 either way. */
    @Override
    public final StartTiming start() {
        return locked(() -> {
            prepare();
            if (alive()) {
                return new StartTiming.Recorder("start").finish(awaitFirst200(probe()));
            }
            return timed("start", this::issueStart);
        });
    }

    @Override
    public final void stop() {
        locked(() -> {
            issueStop();
            return null;
        });
    }

    /**
     * Stop, then start, each timed: command issued → stopped → start issued → running → port open → first 200. A
     * server that does not run is cold-started instead: a restart is from serving.
     */
    @Override
    public final StartTiming restart() {
        return locked(() -> {
            prepare();
            if (!alive()) {
                return coldStartLocked();
            }
            return timed(StartTiming.RESTART, timing -> {
                issueStop();
                timing.mark(StartTiming.STOPPED).mark(StartTiming.START_ISSUED);
                issueStart();
                timing.mark(StartTiming.RUNNING);
            }, this::probe);
        });
    }

    /** Stops the server if it runs (not timed), then starts it, timed: command issued → running → port open → first 200. */
    @Override
    public final StartTiming coldStart() {
        return locked(this::coldStartLocked);
    }

    private StartTiming coldStartLocked() {
        prepare();
        issueStop();
        return timed(StartTiming.COLD_START, this::issueStart);
    }

    /**
     * Stops the server and sets its store to exactly {@code dataset} with the shared reset script, which is written
     * to a scratch folder on this machine with the dataset's record beside it ({@value StoreControl#RECORD}: what the
     * script may remove) and removed afterwards; the server is left stopped.
     */
    @Override
    public final String resetStore(Dataset dataset) {
        return locked(() -> {
            issueStop();
            try (Scratch scratch = Scratch.create("gallerybench-reset-")) {
                scratch.write(StoreControl.RECORD, dataset.record());
                return runStoreReset(scratch.write("reset-store.sh", StoreControl.script()), dataset);
            }
        });
    }

    /**
     * A timed start of a kind an environment adds (Docker's fresh start, the VM's boot): {@code untimed} first, then
     * {@code issue} (which marks what it passes, such as created, and ends once the server runs), then the first 200.
     */
    protected final StartTiming timedStart(String kind, Runnable untimed, Consumer<StartTiming.Recorder> issue,
            Supplier<ReadinessProbe> probe) {
        return locked(() -> {
            untimed.run();
            return timed(kind, issue, probe);
        });
    }

    private StartTiming timed(String kind, Runnable issueStart) {
        return timed(kind, timing -> {
            issueStart.run();
            timing.mark(StartTiming.RUNNING);
        }, this::probe);
    }

    /** The probe is asked for once the start was issued: it may watch what the start made (the process, the container). */
    private StartTiming timed(String kind, Consumer<StartTiming.Recorder> issue, Supplier<ReadinessProbe> probe) {
        StartTiming.Recorder timing = new StartTiming.Recorder(kind);
        issue.accept(timing);
        return timing.finish(awaitFirst200(probe.get()));
    }

    /**
     * Waits for the first 200. When it does not come, the error says why: the server ended before it answered (how,
     * with its log tail), or it runs but does not answer (the probe's reason, the hint, the log tail; the server is
     * {@linkplain #stuck() dealt with} first).
     */
    private ReadinessProbe.Readiness awaitFirst200(ReadinessProbe probe) {
        try {
            return probe.awaitReadiness();
        } catch (ReadinessProbe.ReadinessException e) {
            if (!alive()) {
                throw new EnvironmentException(ended() + " before it answered. " + tail(), e);
            }
            stuck();
            String hint = stuckHint();
            throw new EnvironmentException(e.getMessage() + (hint.isEmpty() ? "" : " " + hint) + " " + tail(), e);
        }
    }

    private String tail() {
        return logName() + ":\n  " + String.join("\n  ", logTail(15));
    }

    private <T> T locked(Supplier<T> operation) {
        synchronized (lifecycle) {
            try {
                return operation.get();
            } catch (EnvironmentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw explain(e);
            }
        }
    }

    // ---- what every environment shares around it ----

    /**
     * Fails with what to do when {@code host:port} cannot be bound here: something else serves there, and a start
     * would time out against it, or measure it.
     *
     * @param whose "the local environment", "the Docker environment", ...
     */
    protected static void requirePortFree(String host, int port, String whose) {
        if (!portFree(host, port)) {
            throw new EnvironmentException("Port " + port + " on " + host + " is already in use: stop whatever uses it, or choose another"
                    + " port for " + whose + ".");
        }
    }

    /** Whether {@code host:port} can be bound here now. */
    protected static boolean portFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Another program on this environment's port, as a status: a gallery that answers is named by the build it reports,
     * anything else holding the port by the port. Empty when the port is free. For environments whose server is a
     * process of this one: nothing here can start or stop another's.
     */
    protected static Optional<EnvironmentStatus> portTaken(String host, int port, URI endpoint) {
        Optional<ReadinessProbe.Identity> other = ReadinessProbe.identify(endpoint);
        if (other.isPresent()) {
            String build = other.get().build();
            return Optional.of(new EnvironmentStatus.Occupied("Another process serves at " + endpoint
                    + (build == null || build.isBlank() ? "" : " (gallery build " + ServerArtifact.shorten(build) + ")")
                    + ": stop it where it runs (Ctrl-C for `gallerybench env up local`), or choose another port for the local environment."));
        }
        if (!portFree(host, port)) {
            return Optional.of(new EnvironmentStatus.Occupied("Port " + port + " on " + host + " is in use by another program:"
                    + " stop it, or choose another port for the local environment."));
        }
        return Optional.empty();
    }

    /** A running server's status: ready when {@code endpoint} answers 200 within {@code timeout}, else starting. */
    protected static EnvironmentStatus serving(URI endpoint, Duration timeout, String readyDetail, String startingDetail) {
        return ReadinessProbe.forHttp(endpoint).requestTimeout(timeout).isReady()
                ? new EnvironmentStatus.Ready(readyDetail)
                : new EnvironmentStatus.Starting(startingDetail);
    }
}
