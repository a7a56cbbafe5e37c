package org.gallerybench.environments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child process of this tool (the local gallery, a subject's local process): started with its output
 * appended to a log file, stopped with SIGTERM then, after a grace, killed with whatever it started, and stopped by a
 * shutdown hook if the tool exits first. What both local environments share, in one place.
 */
public final class ChildServer implements AutoCloseable {
    private final Path log;
    private final Duration grace;
    private final Thread shutdownHook;
    private Process process;
    private volatile boolean stopping;

    /** @param grace how long SIGTERM is given before the process and its children are killed */
    public ChildServer(Path log, Duration grace, String name) {
        this.log = log;
        this.grace = grace;
        this.shutdownHook = new Thread(this::stopQuietly, name + "-stop");
    }

    public Path log() {
        return log;
    }

    /**
     * Starts {@code builder}'s command, its output and errors appended to the log. A log past {@value #LOG_LIMIT_BYTES}
     * bytes is kept as {@code NAME.1} (replacing the one before) and a new one begun: a server started before every round
     * of every run would otherwise grow its log without end.
     */
    public synchronized void start(ProcessBuilder builder) throws IOException {
        Files.createDirectories(log.getParent());
        if (Files.isRegularFile(log) && Files.size(log) > LOG_LIMIT_BYTES) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        stopping = false;
        process = builder.start();
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalArgumentException | IllegalStateException already) {
            // registered once, or the JVM is exiting (the server's own parent watch, where it has one, stops it)
        }
    }

    /** SIGTERM (a server closes its listener, an app server stops its workers), then after the grace a kill, children too. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        stopping = true;
        Process p = process;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    public void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // on the way out
        }
    }

    public synchronized boolean started() {
        return process != null;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Ended on its own (not by {@link #stop()}): its exit code. */
    public synchronized OptionalInt crashed() {
        return process != null && !process.isAlive() && !stopping ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** Its exit code, once it ended. */
    public synchronized int exitCode() {
        return process.exitValue();
    }

    /** Its process id, while it runs. */
    public synchronized OptionalLong pid() {
        return alive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** The log's last {@code n} lines, oldest first; none when it cannot be read. */
    public List<String> logTail(int n) {
        return tail(log, n);
    }

    /** A log's size past which the next start begins a new one. */
    static final long LOG_LIMIT_BYTES = 10L << 20;
    /** What {@link #tail} reads of a log's end, at most: its last lines are there, however long the log. */
    private static final int TAIL_BYTES = 64 * 1024;

    /**
     * The last {@code n} lines of {@code file}, read from its last {@value #TAIL_BYTES} bytes only (never the whole log),
     * a byte that is not UTF-8 shown as the replacement character rather than losing every line; empty when there is none.
     */
    static List<String> tail(Path file, int n) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            long from = Math.max(0, size - TAIL_BYTES);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read to the end
            }
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .decode(buffer.flip()).toString();
            List<String> lines = text.lines().toList();
            if (from > 0 && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first line read may be cut
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops it, and no longer on the way out. */
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
