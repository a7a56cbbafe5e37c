package org.gallerybench.environments;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What every environment repeats around its own way of running the server, in one place, as Testcontainers'
 * AbstractWaitStrategy holds what its wait strategies share: the port check before a start, the wait for the first
 * HTTP 200 that explains a failure with the server's log tail, and the status probe of a running server. Each
 * environment supplies only what differs: how to tell whether its server still runs, how it ended, and where its log
 * is ({@link Server}).
 */
public final class ServerLifecycle {
    private ServerLifecycle() {
    }

    /** How an environment's server is observed when a start goes wrong. */
    public interface Server {
        /** Whether the server still runs (the process, the container, the service). */
        boolean alive();

        /** How it ended, for a server that no longer runs: "The local server exited with code 1". */
        String ended();

        /** Its last log lines, oldest first. */
        List<String> logTail(int lines);

        /** What the log tail is, as a heading: "Last lines of /data/local/server.log", "Last log lines". */
        String logName();

        /** For a server that runs but does not answer: stop it, or leave it as it is. */
        default void stuck() {
        }

        /** A hint for a server that runs but does not answer, appended to the message; empty for none. */
        default String stuckHint() {
            return "";
        }
    }

    /**
     * Fails with what to do when {@code host:port} cannot be bound here: something else serves there, and a start
     * would time out against it, or measure it.
     *
     * @param whose "the local environment", "the Docker environment", ...
     */
    public static void requirePortFree(String host, int port, String whose) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new EnvironmentException("Port " + port + " on " + host + " is already in use: stop whatever uses it, or choose another"
                    + " port for " + whose + ".");
        }
    }

    /**
     * Waits for the first 200 with the given probe (configured by the caller: deadline, build, liveness check). When
     * it does not come, the error says why: the server ended before it answered (how, with its log tail), or it runs
     * but does not answer (the probe's reason, the hint, the log tail; the server is {@linkplain Server#stuck()
     * dealt with} first).
     */
    public static ReadinessProbe.Readiness awaitFirst200(ReadinessProbe probe, Server server) {
        try {
            return probe.awaitReadiness();
        } catch (ReadinessProbe.ReadinessException e) {
            throw notReady(e, server);
        }
    }

    /** The error for a start whose first 200 did not come (see {@link #awaitFirst200}). */
    public static EnvironmentException notReady(ReadinessProbe.ReadinessException e, Server server) {
        if (!server.alive()) {
            return new EnvironmentException(server.ended() + " before it answered. " + tail(server), e);
        }
        server.stuck();
        String hint = server.stuckHint();
        return new EnvironmentException(e.getMessage() + (hint.isEmpty() ? "" : " " + hint) + " " + tail(server), e);
    }

    private static String tail(Server server) {
        return server.logName() + ":\n  " + String.join("\n  ", server.logTail(15));
    }

    /** A running server's status: ready when {@code endpoint} answers 200 within {@code timeout}, else starting. */
    public static EnvironmentStatus serving(URI endpoint, Duration timeout, String readyDetail, String startingDetail) {
        return ReadinessProbe.forHttp(endpoint).requestTimeout(timeout).isReady()
                ? new EnvironmentStatus.Ready(readyDetail)
                : new EnvironmentStatus.Starting(startingDetail);
    }
}
