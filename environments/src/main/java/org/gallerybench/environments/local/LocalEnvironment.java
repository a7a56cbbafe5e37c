package org.gallerybench.environments.local;

import org.gallerybench.environments.AotCache;
import org.gallerybench.environments.ChildServer;
import org.gallerybench.environments.StoreControl;
import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ProcessSampler;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.OptionalInt;

/**
 * The gallery as a plain child process on this machine: needs nothing installed, so it is the default that
 * always works, and the baseline the container and the VM are compared with. It runs with the same
 * {@code jvm.options} as they do, plus an AOT cache made for this build.
 *
 * <p>No server outlives the JVM that started it: a shutdown hook stops it, and the server itself exits when
 * its parent does ({@code GALLERY_PARENT_PID}), which also covers a killed parent.
 */
public final class LocalEnvironment extends ServerEnvironment {
    private final LocalSettings settings;
    private ServerArtifact artifact;
    /** The build named by {@link #expect}, before any deploy. */
    private ServerArtifact expected;
    private Optional<Path> aotCache = Optional.empty();
    private final ChildServer server;

    public LocalEnvironment(LocalSettings settings) {
        this.settings = settings;
        this.server = new ChildServer(settings.dataDir().resolve("server.log"), settings.stopGrace(), "gallerybench-local");
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String displayName() {
        return "Local process";
    }

    @Override
    public String networkPath() {
        return "loopback, no boundary";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + settings.host() + ":" + settings.port() + "/");
    }

    public LocalSettings settings() {
        return settings;
    }

    /** The server's output, appended across starts. */
    public Path logFile() {
        return server.log();
    }

    public Path uploadDir() {
        return settings.dataDir().resolve("uploads");
    }

    @Override
    public synchronized void expect(ServerArtifact build) {
        expected = build;
        if (artifact != null && !artifact.digest().equals(build.digest())) {
            artifact = null; // deployed before this build was made: deploy again
        }
    }

    @Override
    public synchronized void deploy(ServerArtifact build) {
        if (!Files.isExecutable(settings.javaHome().resolve("bin/java"))) {
            throw new EnvironmentException("No Java runtime at " + settings.javaHome() + ". Point it at a JDK 25.");
        }
        this.artifact = build;
        this.aotCache = AotCache.ensure(settings.javaHome(), build, settings.aotCacheDir());
    }

    /** The AOT cache the server starts with, if training worked. */
    public Optional<Path> aotCache() {
        return aotCache;
    }

    @Override
    protected void prepare() {
        if (artifact == null) {
            throw new EnvironmentException("The local server is not deployed yet: deploy a build first.");
        }
    }

    @Override
    protected synchronized void issueStart() {
        requirePortFree(settings.host(), settings.port(), "the local environment");
        List<String> command = new ArrayList<>();
        command.add(settings.javaHome().resolve("bin/java").toString());
        command.add("@" + artifact.jvmOptions());
        aotCache.filter(Files::isRegularFile).ifPresent(c -> command.add(AotCache.flag(c)));
        command.addAll(List.of("-jar", artifact.jar().toString()));
        try {
            Files.createDirectories(uploadDir());
            ProcessBuilder builder = new ProcessBuilder(command).directory(artifact.jar().getParent().toFile());
            builder.environment().put("GALLERY_HOST", settings.host());
            builder.environment().put("GALLERY_PORT", Integer.toString(settings.port()));
            builder.environment().put("GALLERY_UPLOAD_DIR", uploadDir().toString());
            builder.environment().put("GALLERY_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
            builder.environment().put("GALLERY_BUILD", artifact.digest());
            builder.environment().putAll(settings.serverEnv());
            server.start(builder); // SIGTERM stops it: Helidon's shutdown hook closes the listener gracefully
        } catch (IOException e) {
            throw new EnvironmentException("Cannot start the local server: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean alive() {
        return server.alive();
    }

    @Override
    protected String ended() {
        return "The local server exited with code " + server.exitCode();
    }

    @Override
    protected List<String> logTail(int lines) {
        return server.logTail(lines);
    }

    @Override
    protected String logName() {
        return "Last lines of " + logFile();
    }

    @Override
    protected void stuck() {
        server.stopQuietly();
    }

    @Override
    protected synchronized ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).deadline(settings.startDeadline())
                .expectBuild(artifact == null ? null : artifact.digest())
                .whileAlive(this::alive);
    }

    @Override
    protected void issueStop() {
        server.stop();
    }

    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        return StoreControl.runHere(script, uploadDir(), dataset, "the gallery store");
    }

    /** The server's process id, while it runs. */
    public OptionalLong pid() {
        return server.pid();
    }

    /**
     * Read from what exists: this process's server, else whatever answers at the endpoint (another process's: it is not
     * this environment's to stop), else the jar of the build it is meant to run and that build's AOT cache.
     */
    @Override
    public synchronized EnvironmentStatus status() {
        if (server.started() && server.alive()) {
            long pid = server.pid().orElse(-1);
            return serving(endpoint(), Duration.ofSeconds(1), "Serving at " + endpoint() + " (pid " + pid + ").",
                    "Running (pid " + pid + "), not answering yet.");
        }
        OptionalInt code = server.started() ? server.crashed() : OptionalInt.empty();
        if (code.isPresent()) {
            return new EnvironmentStatus.Failed("The server exited with code " + code.getAsInt() + ": "
                    + server.logTail(1).stream().findFirst().orElse("see " + logFile()) + " Start tries again.");
        }
        Optional<EnvironmentStatus> taken = portTaken(settings.host(), settings.port(), endpoint());
        if (taken.isPresent()) {
            return taken.get();
        }
        ServerArtifact build = artifact != null ? artifact : expected;
        if (build == null) {
            return new EnvironmentStatus.Absent("Not deployed yet: it needs only the built server jar.");
        }
        if (!Files.isRegularFile(build.jar())) {
            return new EnvironmentStatus.Absent("The server jar " + build.jar() + " is gone: ./gallerybench builds it again.");
        }
        Optional<Path> cache = AotCache.find(settings.javaHome(), build, settings.aotCacheDir());
        if (cache.isEmpty()) {
            return new EnvironmentStatus.Absent("Jar of build " + build.shortDigest() + " built; its AOT cache is not trained yet:"
                    + " deploy trains it (Start does first).");
        }
        return new EnvironmentStatus.Deployed("Jar and AOT cache of this build present (build " + build.shortDigest() + "): Start runs it.");
    }

    @Override
    public SampleStream openSampler(Duration interval) {
        long pid = pid().orElseThrow(() -> new EnvironmentException("The local server is not running: start it before sampling."));
        return ProcessSampler.open(pid, interval);
    }

    @Override
    public void close() {
        server.close();
    }
}
