package org.gallerybench.environments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process run the one way every caller needs: its output (stdout and stderr together) read on a thread of
 * its own as it comes, line by line, so that a full pipe never blocks the child and a wait can always fire; a
 * deadline for the whole run, past which the child and everything it started are stopped (SIGTERM, then SIGKILL);
 * and the output kept (its last {@value #KEPT_CHARS} characters) for the error that says what happened.
 *
 * <pre>{@code
 * Command.Result r = Command.of("sh", script, store, dataset).deadline(Duration.ofMinutes(5)).run();
 * if (!r.ok()) throw new EnvironmentException("... failed: " + r.tail(10));
 * }</pre>
 */
public final class Command {
    /** How much output is kept: enough for any report a command here prints, bounded for one that never stops talking. */
    static final int KEPT_CHARS = 4 * 1024 * 1024;
    private static final Duration TERM_GRACE = Duration.ofSeconds(5);

    private final List<String> args;
    private Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration deadline = Duration.ofMinutes(10);
    private Consumer<String> lines = line -> { };
    private byte[] input = new byte[0];

    private Command(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        this.args = List.copyOf(args);
    }

    public static Command of(String... args) {
        return new Command(List.of(args));
    }

    public static Command of(List<String> args) {
        return new Command(args);
    }

    /** The working directory; the caller's by default. */
    public Command dir(Path directory) {
        this.dir = directory;
        return this;
    }

    /** A variable added to the inherited environment. */
    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Command env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** How long the whole run may take before the child is stopped (10 minutes by default). */
    public Command deadline(Duration limit) {
        this.deadline = limit;
        return this;
    }

    /** Gets each line of output as it arrives (on the reading thread; keep it quick). */
    public Command onLine(Consumer<String> consumer) {
        this.lines = consumer;
        return this;
    }

    /** What the child reads on its standard input (then end of file); nothing by default. */
    public Command input(String text) {
        this.input = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public List<String> args() {
        return args;
    }

    /** Starts the child; {@link Running#await()} waits for it within the deadline. */
    public Running start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] stdin = input;
        // Written beside the reading, so that a child which answers before it has read everything cannot block on a full pipe.
        Thread.ofVirtual().name("input-of-" + process.pid()).start(() -> {
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException gone) {
                // the child did not read it all
            }
        });
        return new Running(process, args, deadline, lines);
    }

    /**
     * Runs the child to its end or its deadline. A program that cannot be started is an {@link IOException}; a
     * timeout is a {@link Result} with {@link Result#timedOut()}, its output up to then included.
     */
    public Result run() throws IOException, InterruptedException {
        return start().await();
    }

    /** A started child. */
    public static final class Running {
        private final Process process;
        private final List<String> args;
        private final long deadlineNanos;
        private final StringBuilder output = new StringBuilder();
        private final Thread reader;

        private Running(Process process, List<String> args, Duration deadline, Consumer<String> lines) {
            this.process = process;
            this.args = args;
            this.deadlineNanos = System.nanoTime() + deadline.toNanos();
            this.reader = Thread.ofVirtual().name("output-of-" + process.pid()).start(() -> read(process.getInputStream(), lines));
        }

        private void read(InputStream in, Consumer<String> lines) {
            StringBuilder line = new StringBuilder();
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                    synchronized (output) {
                        output.append(text);
                        if (output.length() > KEPT_CHARS) {
                            output.delete(0, output.length() - KEPT_CHARS);
                        }
                    }
                    for (int i = 0; i < text.length(); i++) {
                        char c = text.charAt(i);
                        if (c == '\n') {
                            deliver(line, lines);
                        } else {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException closed) {
                // the child ended, or was stopped
            }
            if (!line.isEmpty()) {
                deliver(line, lines);
            }
        }

        private static void deliver(StringBuilder line, Consumer<String> lines) {
            String text = line.toString();
            line.setLength(0);
            try {
                lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            } catch (RuntimeException e) {
                // a consumer's failure never stops the reading: the pipe must be drained
            }
        }

        public long pid() {
            return process.pid();
        }

        public Process process() {
            return process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The output so far. */
        public String output() {
            synchronized (output) {
                return output.toString();
            }
        }

        /**
         * Waits for the child's end, up to the deadline; past it, stops the child and everything it started, and
         * returns with {@link Result#timedOut()}. Interrupted, it stops them too, and throws.
         */
        public Result await() throws InterruptedException {
            boolean ended;
            try {
                ended = process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                stop();
                throw e;
            }
            if (!ended) {
                stop();
            }
            reader.join(TERM_GRACE.toMillis());
            return new Result(args, ended ? process.exitValue() : -1, !ended, output());
        }

        /** Stops the child and its descendants: SIGTERM, and SIGKILL to whatever is left after a grace period. */
        public void stop() {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            long until = System.nanoTime() + TERM_GRACE.toNanos();
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception notYet) {
                    h.destroyForcibly();
                }
            }
        }
    }

    /**
     * How a child ended.
     *
     * @param exitCode its exit code; -1 when it was stopped at its deadline
     * @param timedOut whether it was stopped at its deadline
     * @param output   what it printed (the last {@value #KEPT_CHARS} characters)
     */
    public record Result(List<String> args, int exitCode, boolean timedOut, String output) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }

        /** The last {@code lines} non-blank lines, joined for a message. */
        public String tail(int lines) {
            List<String> l = output.lines().filter(s -> !s.isBlank()).toList();
            return String.join("\n  ", l.subList(Math.max(0, l.size() - lines), l.size()));
        }

        /** The last non-blank line, or "". */
        public String lastLine() {
            return output.strip().lines().reduce((a, b) -> b).orElse("");
        }

        /** "exit 2", or "no end within its deadline". */
        public String how() {
            return timedOut ? "did not finish within its deadline" : "exit " + exitCode;
        }
    }
}
