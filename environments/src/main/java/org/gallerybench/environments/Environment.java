package org.gallerybench.environments;

import java.net.URI;
import java.time.Duration;

/**
 * A place where the gallery server runs: a local process, a Docker container, or a VM. Every environment is
 * driven and observed the same way, so that their numbers can be compared.
 *
 * <p>Operations that fail throw {@link EnvironmentException}, whose message says what failed and what to do.
 */
public interface Environment extends AutoCloseable {

    /** A short, stable identifier: {@code local}, {@code docker}, {@code vm}. */
    String id();

    /** A name for people: "Local process", "Docker container", "Vagrant VM". */
    String displayName();

    /**
     * The network path a request takes from this machine to the server, named for people: "loopback, no boundary",
     * "published port through docker-proxy", "host network", "QEMU user-mode forward". Part of how every result
     * names the environment, because much of what an environment seems to cost is its path.
     */
    String networkPath();

    /** Where the gallery answers, e.g. {@code http://127.0.0.1:5000/}. */
    URI endpoint();

    /** Installs (or refreshes) this build of the server in the environment. Idempotent and cheap when unchanged. */
    void deploy(ServerArtifact artifact);

    /** Starts the server, if it is not running, and waits for its first HTTP 200. */
    StartTiming start();

    /** Stops the server. Does nothing if it is not running. */
    void stop();

    /**
     * Restarts the server and times it, phase by phase, from serving to the first HTTP 200: command issued →
     * stopped → start issued → running → port open → first HTTP 200.
     */
    StartTiming restart();

    /**
     * A cold start: stops the server if it runs (not timed), then starts it and times it from stopped to the first
     * HTTP 200: command issued → running → port open → first HTTP 200. The headline "startup" of every environment.
     */
    StartTiming coldStart();

    /**
     * What the environment holds and is doing now, read from what exists (another process may have made it), and
     * judged against the build it is meant to run: the one last {@linkplain #deploy deployed} or
     * {@linkplain #expect expected}. Never throws: a failure is a status.
     */
    EnvironmentStatus status();

    /**
     * Names the build this environment is meant to run, without deploying it, so that {@link #status()} can tell "this
     * build is in place" from "another build is" before anything was deployed by this process (a freshly opened
     * dashboard, {@code env status}). An app of the user's own carries its own identity: for it this changes nothing.
     */
    default void expect(ServerArtifact build) {
    }

    /**
     * Starts sampling CPU and memory every {@code interval}. Close the stream to stop sampling.
     *
     * @see ResourceSample for what each figure means in each environment
     */
    SampleStream openSampler(Duration interval);

    /** Releases connections and clients. Does not stop the server unless the environment owns its process. */
    @Override
    void close();
}
