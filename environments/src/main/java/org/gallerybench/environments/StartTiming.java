package org.gallerybench.environments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How long a start or restart took, phase by phase. Each mark is a {@link System#nanoTime()} reading; the first
 * is always {@link #ISSUED} and the last {@link #FIRST_200}. The phases mean the same in every environment:
 * <ul>
 * <li>cold start, from stopped: command issued → running → port open → first HTTP 200;</li>
 * <li>restart, from serving: command issued → stopped → start issued → running → port open → first HTTP 200.</li>
 * </ul>
 *
 * @param kind      what was timed: {@code "restart"}, {@code "fresh start"}, {@code "boot"}
 * @param startedAt wall-clock time of the first mark, for reports
 * @param marks     the phases in order
 */
public record StartTiming(String kind, Instant startedAt, List<Mark> marks) {
    /** The command was sent (process spawned, API called, SSH command written). */
    public static final String ISSUED = "command issued";
    /** The container was created (Docker fresh start only). */
    public static final String CREATED = "created";
    /** The command returned (systemctl, docker restart). */
    public static final String RETURNED = "command returned";
    /** The process or container is running. */
    public static final String RUNNING = "running";
    /** The server was stopped (a restart's first phase). */
    public static final String STOPPED = "stopped";
    /** The start command was sent (a restart's second part, after the stop). */
    public static final String START_ISSUED = "start issued";
    /** The server's own port answered (any HTTP status: its listener, not a proxy's or a forward's). */
    public static final String PORT_OPEN = "port open";
    /** The server answered its first HTTP 200. */
    public static final String FIRST_200 = "first HTTP 200";

    /** One phase boundary: its name and monotonic time. */
    public record Mark(String name, long nanoTime) {
    }

    public StartTiming {
        marks = List.copyOf(marks);
        if (marks.isEmpty() || !marks.getFirst().name().equals(ISSUED)) {
            throw new IllegalArgumentException("a start timing begins with '" + ISSUED + "'");
        }
    }

    /** Kinds: from stopped, and from serving. */
    public static final String COLD_START = "cold start";
    public static final String RESTART = "restart";

    /** Issued to first 200. */
    public Duration total() {
        return between(ISSUED, FIRST_200).orElseThrow();
    }

    public double totalMillis() {
        return total().toNanos() / 1e6;
    }

    /** Time from one mark to another, if both were recorded. */
    public Optional<Duration> between(String from, String to) {
        Optional<Mark> a = mark(from);
        Optional<Mark> b = mark(to);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(b.get().nanoTime() - a.get().nanoTime()));
    }

    public Optional<Mark> mark(String name) {
        return marks.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Each phase as (from, to, duration), in order. */
    public List<Phase> phases() {
        List<Phase> phases = new ArrayList<>();
        for (int i = 1; i < marks.size(); i++) {
            Mark a = marks.get(i - 1);
            Mark b = marks.get(i);
            phases.add(new Phase(a.name(), b.name(), Duration.ofNanos(b.nanoTime() - a.nanoTime())));
        }
        return phases;
    }

    /** The time between two consecutive marks. */
    public record Phase(String from, String to, Duration duration) {
        public double millis() {
            return duration.toNanos() / 1e6;
        }
    }

    /** Collects marks as they happen. */
    public static final class Recorder {
        private final String kind;
        private final Instant startedAt = Instant.now();
        private final List<Mark> marks = new ArrayList<>();

        public Recorder(String kind) {
            this.kind = kind;
            marks.add(new Mark(ISSUED, System.nanoTime()));
        }

        public Recorder mark(String name) {
            marks.add(new Mark(name, System.nanoTime()));
            return this;
        }

        public Recorder mark(String name, long nanoTime) {
            marks.add(new Mark(name, nanoTime));
            return this;
        }

        public StartTiming finish(long firstOkNanoTime) {
            marks.add(new Mark(FIRST_200, firstOkNanoTime));
            return new StartTiming(kind, startedAt, marks);
        }

        /** Ends with the port-open and first-200 marks of a readiness probe. */
        public StartTiming finish(ReadinessProbe.Readiness readiness) {
            if (readiness.portOpenNanos() > 0 && readiness.portOpenNanos() <= readiness.readyNanos()) {
                marks.add(new Mark(PORT_OPEN, readiness.portOpenNanos()));
            }
            return finish(readiness.readyNanos());
        }
    }
}
