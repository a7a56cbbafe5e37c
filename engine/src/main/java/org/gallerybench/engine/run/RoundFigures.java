package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadResult;

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
 * @param p50AtOneMillis     request/response latency: p50 of GET / with one request in flight, measured after the
 *                           round's load (as Felter et al. measured a network path); NaN when not measured (runs
 *                           saved before it was, whose JSON lacks it, read as 0 and become NaN)
 * @param p99AtOneMillis     ... its p99
 */
public record RoundFigures(int round, double seconds, double requestsPerSecond, double p50Millis, double p95Millis, double p99Millis,
                           long requests, long errors, long timeouts, long missed, double cpuMeanPercent, double appMemoryMeanBytes,
                           double environmentMemoryMeanBytes, double hostCpuMeanPercent, double hostMemoryMeanBytes,
                           double p50AtOneMillis, double p99AtOneMillis) {

    public RoundFigures {
        if (!(p50AtOneMillis > 0)) {
            p50AtOneMillis = Double.NaN;
        }
        if (!(p99AtOneMillis > 0)) {
            p99AtOneMillis = Double.NaN;
        }
    }

    /** Host CPU per successful request, in microseconds of one core: what this machine pays for each answer. */
    public double hostCpuMicrosPerRequest() {
        return requestsPerSecond > 0 ? hostCpuMeanPercent / 100.0 * 1_000_000.0 / requestsPerSecond : Double.NaN;
    }

    /** These figures with the latency at one request in flight, from the probe after the round's load. */
    RoundFigures withOneInFlight(LoadResult probe) {
        boolean usable = probe != null && probe.abortedBecause() == null && probe.successes() >= 10;
        return new RoundFigures(round, seconds, requestsPerSecond, p50Millis, p95Millis, p99Millis, requests, errors, timeouts, missed,
                cpuMeanPercent, appMemoryMeanBytes, environmentMemoryMeanBytes, hostCpuMeanPercent, hostMemoryMeanBytes,
                usable ? probe.latency().p50Millis() : Double.NaN, usable ? probe.latency().p99Millis() : Double.NaN);
    }

    /** A round's figures from its load result and the resource samples taken during its measured window. */
    static RoundFigures of(int round, LoadResult load, List<ResourcePoint> during) {
        return new RoundFigures(round, load.seconds(), load.requestsPerSecond(), load.latency().p50Millis(), load.latency().p95Millis(),
                load.latency().p99Millis(), load.requests(), load.errors(), load.timeouts(), load.missed(),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::cpuPercent).toArray()),
                Stats.mean(during.stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray()),
                Stats.mean(during.stream().filter(p -> p.environmentMemoryBytes() >= 0).mapToDouble(ResourcePoint::environmentMemoryBytes)
                        .toArray()),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::hostCpuPercent).toArray()),
                Stats.mean(during.stream().filter(p -> p.hostMemoryBytes() >= 0).mapToDouble(ResourcePoint::hostMemoryBytes).toArray()),
                Double.NaN, Double.NaN);
    }
}
