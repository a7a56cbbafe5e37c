package org.gallerybench.engine.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * A figure of an environment, as a type (issue 34): its name (as people, the CLI and the stored history write it),
 * its unit, which way is better, where its independent samples come from (the rounds, or the timed starts) and
 * whether environments can be ranked on it. Tables, noise, verdicts, trends, rounds-until-stable and the history all
 * name figures through it; a rename is a compile error, not a silent miss. The stored history keeps the names
 * ({@link #id()}, read back by {@link #of(String)}), so older runs still read.
 */
public enum Metric {
    STARTUP("startup", "ms", false, Source.COLD_STARTS, null),
    RESTART("restart", "ms", false, Source.RESTARTS, null),
    REQUESTS_PER_SECOND("requests/s", "req/s", true, Source.ROUNDS, RoundFigures::requestsPerSecond),
    P50("p50", "ms", false, Source.ROUNDS, RoundFigures::p50Millis),
    P95("p95", "ms", false, Source.ROUNDS, RoundFigures::p95Millis),
    P99("p99", "ms", false, Source.ROUNDS, RoundFigures::p99Millis),
    /** What each environment sees of itself (a cgroup, a guest's top under emulation): shown, never ranked. */
    CPU("cpu", "%", false, Source.ROUNDS, RoundFigures::cpuMeanPercent),
    HOST_CPU("host cpu", "%", false, Source.ROUNDS, RoundFigures::hostCpuMeanPercent),
    APP_MEMORY("app memory", "bytes", false, Source.ROUNDS, RoundFigures::appMemoryMeanBytes),
    /** A process's RSS, a cgroup, or a guest's used memory: shown, never ranked. */
    ENVIRONMENT_MEMORY("environment memory", "bytes", false, Source.ROUNDS, RoundFigures::environmentMemoryMeanBytes),
    HOST_MEMORY("host memory", "bytes", false, Source.ROUNDS, RoundFigures::hostMemoryMeanBytes),
    P50_AT_ONE("p50 at 1", "ms", false, Source.ROUNDS, RoundFigures::p50AtOneMillis),
    P99_AT_ONE("p99 at 1", "ms", false, Source.ROUNDS, RoundFigures::p99AtOneMillis),
    HOST_CPU_PER_REQUEST("host cpu per request", "us", false, Source.ROUNDS, RoundFigures::hostCpuMicrosPerRequest);

    /** Where a figure's independent samples come from. */
    public enum Source { ROUNDS, COLD_STARTS, RESTARTS }

    /** The figures that stop rounds until stable: throughput and the median latency (a few seconds' p99 seldom settles). */
    public static final List<Metric> HEADLINE = List.of(REQUESTS_PER_SECOND, P50);

    private final String id;
    private final String unit;
    private final boolean higherIsBetter;
    private final Source source;
    private final ToDoubleFunction<RoundFigures> ofRound;

    Metric(String id, String unit, boolean higherIsBetter, Source source, ToDoubleFunction<RoundFigures> ofRound) {
        this.id = id;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.source = source;
        this.ofRound = ofRound;
    }

    /** Its name: "requests/s", "p99", "startup", "host cpu per request"; what the history stores. */
    @JsonValue
    public String id() {
        return id;
    }

    /** "ms", "req/s", "%", "bytes", "us". */
    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public Source source() {
        return source;
    }

    /** False for a figure whose definition differs between environments (cpu, environment memory): shown, never given a ratio. */
    public boolean ranked() {
        return this != CPU && this != ENVIRONMENT_MEMORY;
    }

    /** What one of its samples is called: "round", or "start" for the timed starts. */
    public String sampleName() {
        return source == Source.ROUNDS ? "round" : "start";
    }

    /** Its value in one round; NaN for the figures of the timed starts. */
    public double of(RoundFigures round) {
        return ofRound == null ? Double.NaN : ofRound.applyAsDouble(round);
    }

    /** An environment's independent samples of it: its rounds, or its timed starts (cold or restart). */
    public double[] samples(EnvironmentResult e) {
        return switch (source) {
            case ROUNDS -> e.rounds().stream().mapToDouble(ofRound).toArray();
            case COLD_STARTS -> e.startupTrials().stream().filter(StartupTrial::cold).mapToDouble(StartupTrial::totalMillis).toArray();
            case RESTARTS -> e.startupTrials().stream().filter(StartupTrial::restart).mapToDouble(StartupTrial::totalMillis).toArray();
        };
    }

    /** One sample as people read it in a sentence: "3,412/s", "12.0 MiB", "45 %", "312 ms", "0.42 ms". */
    public DoubleFunction<String> sampleFormat() {
        return switch (unit) {
            case "req/s" -> x -> String.format(Locale.ROOT, "%,.0f/s", x);
            case "bytes" -> x -> String.format(Locale.ROOT, "%.1f MiB", x / (1 << 20));
            case "%" -> x -> String.format(Locale.ROOT, "%.0f %%", x);
            case "us" -> x -> String.format(Locale.ROOT, "%,.0f µs", x);
            default -> x -> x >= 100 ? String.format(Locale.ROOT, "%,.0f ms", x) : String.format(Locale.ROOT, "%.2f ms", x);
        };
    }

    /** The figures that are compared and ranked, in table order. */
    public static List<Metric> compared() {
        return Arrays.stream(values()).filter(Metric::ranked).toList();
    }

    /** The figures of a round, in order. */
    public static List<Metric> ofRounds() {
        return Arrays.stream(values()).filter(m -> m.source == Source.ROUNDS).toList();
    }

    /** The figure of this name (the history's reader, the CLI's --metric); an unknown name is an error that lists them. */
    @JsonCreator
    public static Metric of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no figure '" + id + "': choose from " + String.join(", ", compared().stream().map(Metric::id).toList())));
    }

    @Override
    public String toString() {
        return id;
    }
}
