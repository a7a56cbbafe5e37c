package org.gallerybench.dashboard.bench;

import java.util.List;

/**
 * The figures of one round of one environment: an independent replicate, with its own warm-up. The table's figure
 * is the median over rounds and its interval comes from the rounds, never from one run's per-second ticks (those
 * are an autocorrelated series, not independent samples).
 *
 * @param round              1 = the first
 * @param seconds            the measured window's length
 * @param requestsPerSecond  successes per second of the window
 * @param p50Millis          latency percentiles of the round's successes
 * @param requests           exchanges completed in the window
 * @param errors             failures of every kind
 * @param timeouts           of which timeouts
 * @param missed             open loop: sends due but never made
 * @param cpuMeanPercent     the environment's CPU, mean over the window (100 = one core)
 * @param appMemoryMeanBytes the server's RSS, mean over the window; NaN when not sampled
 */
public record RoundFigures(int round, double seconds, double requestsPerSecond, double p50Millis, double p95Millis, double p99Millis,
                           long requests, long errors, long timeouts, long missed, double cpuMeanPercent, double appMemoryMeanBytes,
                           double environmentMemoryMeanBytes, double hostCpuMeanPercent, double hostMemoryMeanBytes) {

    /** A round's figures from its load result and the resource samples taken during its measured window. */
    static RoundFigures of(int round, LoadResult load, List<ResourcePoint> during) {
        return new RoundFigures(round, load.seconds(), load.requestsPerSecond(), load.latency().p50Millis(), load.latency().p95Millis(),
                load.latency().p99Millis(), load.requests(), load.errors(), load.timeouts(), load.missed(),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::cpuPercent).toArray()),
                Stats.mean(during.stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray()),
                Stats.mean(during.stream().filter(p -> p.environmentMemoryBytes() >= 0).mapToDouble(ResourcePoint::environmentMemoryBytes)
                        .toArray()),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::hostCpuPercent).toArray()),
                Stats.mean(during.stream().filter(p -> p.hostMemoryBytes() >= 0).mapToDouble(ResourcePoint::hostMemoryBytes).toArray()));
    }
}
