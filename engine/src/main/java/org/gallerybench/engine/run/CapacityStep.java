package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LatencySummary;
import org.gallerybench.engine.load.LoadResult;

import java.util.List;
import java.util.Locale;

/**
 * One step of a capacity search: a target rate held for a measured window, and what came of it.
 *
 * @param index          1 = the first step
 * @param phase          "up" (the coarse search), "down" (below a failing start) or "bisect"
 * @param targetRate     requests per second asked for
 * @param achievedRate   successful answers per second in the window
 * @param p50Millis      latency from each request's intended send time (coordinated omission corrected)
 * @param requests       exchanges completed in the window
 * @param errors         failures of every kind
 * @param missed         sends due in the window but never made
 * @param cpuPercent     the environment's CPU, mean over the window; NaN when not sampled
 * @param hostCpuPercent what this machine spent on the environment, mean; NaN when not sampled
 * @param appMemoryBytes the server's RSS, mean; NaN when not sampled
 * @param valid          false when the generator, not the server, could not send the rate
 * @param passed         valid and within the objective
 * @param verdict        why, in words: "within p99 < 50 ms", "p99 182 ms > 50 ms", "the generator was the limit: ..."
 */
public record CapacityStep(int index, String phase, double targetRate, double achievedRate, double p50Millis, double p90Millis,
                           double p99Millis, double p999Millis, long requests, long errors, long missed, double cpuPercent,
                           double hostCpuPercent, double appMemoryBytes, boolean valid, boolean passed, String verdict) {

    /** A step's figures and verdict from its load and the resource samples of its window. */
    public static CapacityStep of(int index, String phase, double rate, Objective objective, LoadResult load, List<ResourcePoint> during) {
        LatencySummary l = load.latency();
        double bounded = objective.percentileOf(l);
        long due = load.requests() + load.missed();
        double errorPercent = load.requests() == 0 ? (load.errors() > 0 ? 100 : 0) : 100.0 * load.errors() / Math.max(1, load.requests());
        double missedPercent = due == 0 ? 0 : 100.0 * load.missed() / due;
        String generatorLimit = load.warnings().stream().filter(w -> w.startsWith("The load generator was itself the bottleneck"))
                .findFirst().orElse(null);
        boolean withinLatency = bounded <= objective.boundMillis();
        boolean valid = generatorLimit == null
                // The server answered in time and without errors, yet sends were missed: every connection was busy.
                && !(missedPercent > objective.missedPercent() && withinLatency && errorPercent <= objective.errorPercent());
        String verdict;
        if (load.abortedBecause() != null) {
            verdict = "the load broke off: " + load.abortedBecause();
        } else if (generatorLimit != null) {
            verdict = "the generator was the limit, not the server (its busiest I/O thread or its CPU was saturated)";
        } else if (!valid) {
            verdict = String.format(Locale.ROOT, "the generator was the limit: %.1f %% of sends missed while the server answered in time"
                    + " (all its connections were busy)", missedPercent);
        } else if (!withinLatency) {
            verdict = String.format(Locale.ROOT, "%s %.1f ms > %s ms", objective.percentileName(), bounded, Objective.trim(objective.boundMillis()));
        } else if (errorPercent > objective.errorPercent()) {
            verdict = String.format(Locale.ROOT, "errors %.1f %% > %s %%", errorPercent, Objective.trim(objective.errorPercent()));
        } else if (missedPercent > objective.missedPercent()) {
            verdict = String.format(Locale.ROOT, "missed sends %.1f %% > %s %%", missedPercent, Objective.trim(objective.missedPercent()));
        } else {
            verdict = "within " + objective.describe();
        }
        boolean passed = valid && withinLatency && errorPercent <= objective.errorPercent() && missedPercent <= objective.missedPercent();
        return new CapacityStep(index, phase, rate, load.requestsPerSecond(), l.p50Millis(), l.p90Millis(), l.p99Millis(), l.p999Millis(),
                load.requests(), load.errors(), load.missed(),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::cpuPercent).toArray()),
                Stats.mean(during.stream().mapToDouble(ResourcePoint::hostCpuPercent).toArray()),
                Stats.mean(during.stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray()),
                valid, passed, verdict);
    }
}
