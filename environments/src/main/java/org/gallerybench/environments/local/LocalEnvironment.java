package org.gallerybench.environments.local;

import org.gallerybench.environments.AotCache;
import org.gallerybench.environments.Command;
import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ProcessSampler;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

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
    private final Thread shutdownHook = new Thread(this::stopQuietly, "gallerybench-local-stop");
    private ServerArtifact artifact;
    private Optional<Path> aotCache = Optional.empty();
    private Process process;
    private volatile boolean stopping;

    public LocalEnvironment(LocalSettings settings) {
        this.settings = settings;
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
        return settings.dataDir().resolve("server.log");
    }

    public Path uploadDir() {
        return settings.dataDir().resolve("uploads");
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
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(artifact.jar().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            builder.environment().put("GALLERY_HOST", settings.host());
            builder.environment().put("GALLERY_PORT", Integer.toString(settings.port()));
            builder.environment().put("GALLERY_UPLOAD_DIR", uploadDir().toString());
            builder.environment().put("GALLERY_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
            builder.environment().put("GALLERY_BUILD", artifact.digest());
            builder.environment().putAll(settings.serverEnv());
            stopping = false;
            process = builder.start();
            registerHook();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot start the local server: " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    protected synchronized String ended() {
        return "The local server exited with code " + process.exitValue();
    }

    @Override
    protected List<String> logTail(int lines) {
        return lastLogLines(lines);
    }

    @Override
    protected String logName() {
        return "Last lines of " + logFile();
    }

    @Override
    protected void stuck() {
        stopQuietly();
    }

    @Override
    protected synchronized ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).deadline(settings.startDeadline())
                .expectBuild(artifact == null ? null : artifact.digest())
                .whileAlive(this::alive);
    }

    @Override
    protected synchronized void issueStop() {
        if (process == null) {
            return;
        }
        stopping = true;
        Process p = process;
        p.destroy(); // SIGTERM: Helidon's shutdown hook closes the listener gracefully
        try {
            if (!p.waitFor(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void stopQuietly() {
        try {
            issueStop();
        } catch (RuntimeException ignored) {
            // on the way out
        }
    }

    private void registerHook() {
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalArgumentException alreadyRegistered) {
            // once is enough
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the server's parent watch stops it
        }
    }

    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        Command.Result r;
        try {
            r = Command.of("sh", script.toString(), uploadDir().toString(), dataset.dir().toString()).deadline(Duration.ofMinutes(5)).run();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot set the gallery store " + uploadDir() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while setting the gallery store " + uploadDir() + ".");
        }
        if (!r.ok()) {
            throw new EnvironmentException("Setting the gallery store " + uploadDir() + " to the benchmark's images failed (" + r.how()
                    + "): " + r.tail(5) + ". Check that the folder is writable and the disk has room, then run again.");
        }
        return r.lastLine();
    }

    /** The server's process id, while it runs. */
    public synchronized OptionalLong pid() {
        return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    @Override
    public synchronized EnvironmentStatus status() {
        if (artifact == null && process == null) {
            return new EnvironmentStatus.Absent("Not deployed yet: it needs only the built server jar.");
        }
        if (process == null) {
            return new EnvironmentStatus.Stopped("Deployed; not running.");
        }
        if (!process.isAlive()) {
            if (stopping) {
                return new EnvironmentStatus.Stopped("Stopped.");
            }
            return new EnvironmentStatus.Failed("The server exited with code " + process.exitValue() + ": "
                    + lastLogLines(1).stream().findFirst().orElse("see " + logFile()));
        }
        return serving(endpoint(), Duration.ofSeconds(1), "Serving at " + endpoint() + " (pid " + process.pid() + ").",
                "Running (pid " + process.pid() + "), not answering yet.");
    }

    @Override
    public SampleStream openSampler(Duration interval) {
        long pid = pid().orElseThrow(() -> new EnvironmentException("The local server is not running: start it before sampling."));
        return ProcessSampler.open(pid, interval);
    }

    private List<String> lastLogLines(int n) {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // shutting down, or never registered
        }
    }
}
