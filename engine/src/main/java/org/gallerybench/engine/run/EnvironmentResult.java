package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadResult;

import java.util.List;

/**
 * Everything measured for one environment. When the environment could not be measured, {@code failure} says why
 * (and what to do), and the measurements are empty; the other environments of the run are not affected. When its
 * measurement broke off part-way (its container was killed, say), {@code failure} says so and what was measured
 * before is kept.
 *
 * @param environment   its id: local, docker, vm
 * @param displayName   for people
 * @param endpoint      where it served
 * @param startupTrials the timed restarts
 * @param resources     CPU and memory samples
 * @param load          the load of every round, merged (ticks, histograms, errors), for charts
 * @param rounds        each round's figures: the independent samples the table's medians and intervals come from
 * @param summary       the table's figures, or null when nothing was measured
 * @param failure       null, or why it could not be measured, or why its measurement broke off
 * @param networkPath   the path requests took: "loopback, no boundary", "published port through docker-proxy",
 *                      "host network", "QEMU user-mode forward"; null in runs saved before it was recorded
 * @param capacity      a capacity search's result; null in a comparison
 * @param busySeconds   the run's wall time spent on this environment (deploy, store resets, starts, rounds), which
 *                      the next runs' time estimates learn from ({@link TimeEstimate}); null in runs saved before
 */
public record EnvironmentResult(String environment, String displayName, String endpoint, List<StartupTrial> startupTrials,
                                List<ResourcePoint> resources, LoadResult load, List<RoundFigures> rounds, Summary summary,
                                String failure, String networkPath, CapacityResult capacity, Double busySeconds) {

    public EnvironmentResult {
        rounds = rounds == null ? List.of() : List.copyOf(rounds);
    }

    /** Measured to the end, with no failure: the results that are compared and ranked. */
    public boolean measured() {
        return failure == null && summary != null;
    }

    /** A result made without an overhead table's network path or a capacity search (tests, old callers). */
    public EnvironmentResult(String environment, String displayName, String endpoint, List<StartupTrial> startupTrials,
                             List<ResourcePoint> resources, LoadResult load, List<RoundFigures> rounds, Summary summary, String failure,
                             String networkPath) {
        this(environment, displayName, endpoint, startupTrials, resources, load, rounds, summary, failure, networkPath, null, null);
    }

    /** Something was measured, perhaps before a failure broke the measurement off. */
    public boolean hasData() {
        return summary != null;
    }
}
