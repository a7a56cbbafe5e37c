package org.gallerybench.environments;

/** What an environment is doing: absent, stopped, starting, ready, or failed with its reason. */
public sealed interface EnvironmentStatus {

    /** A word for people and logs. */
    String label();

    /** Nothing is deployed: no container, no VM, no installed server. The detail says how to create it. */
    record Absent(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "absent";
        }
    }

    /** Deployed, but the server is not running. */
    record Stopped(String detail) implements EnvironmentStatus {
        @Override
        public String label() {
            return "stopped";
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
            case Stopped s -> s.detail();
            case Starting s -> s.detail();
            case Ready r -> r.detail();
            case Failed f -> f.reason();
        };
    }
}
