package org.gallerybench.dashboard.bench;

import java.time.Duration;
import java.util.List;

/**
 * One comparison to run.
 *
 * @param environments      the environment ids, in order; the first is the baseline the others are compared with
 * @param startupTrials     restarts per environment, each timed to the first 200
 * @param untilStable       if true, keep restarting until the relative standard deviation is 3 % or less, up to
 *                          {@code maxStartupTrials}
 * @param maxStartupTrials  the most restarts when {@code untilStable}
 * @param load              the load profile (warm-up included)
 * @param sampleInterval    how often CPU and memory are read
 * @param coolDown          idle time after each environment's load, before the next starts
 * @param isolate           stop the other environments while one is measured, so that they do not steal CPU
 * @param interleaved       alternate short rounds between environments to cancel drift, instead of one long block each
 * @param rounds            rounds in interleaved mode
 * @param label             a name for the run in history and reports
 */
public record RunPlan(List<String> environments, int startupTrials, boolean untilStable, int maxStartupTrials, LoadProfile load,
                      Duration sampleInterval, Duration coolDown, boolean isolate, boolean interleaved, int rounds, String label) {
    public static final double STABLE_RSD_PERCENT = 3.0;

    public RunPlan {
        environments = List.copyOf(environments);
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one environment");
        }
        if (environments.stream().distinct().count() != environments.size()) {
            throw new IllegalArgumentException("an environment is listed twice: " + environments);
        }
        if (startupTrials < 0 || maxStartupTrials < startupTrials) {
            throw new IllegalArgumentException("startup trials must be 0 or more, and no more than the maximum");
        }
        if (interleaved && rounds < 2) {
            throw new IllegalArgumentException("interleaved runs need at least 2 rounds");
        }
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("sample at most every 100 ms");
        }
    }

    public static RunPlan of(List<String> environments, LoadProfile load) {
        return new RunPlan(environments, 5, false, 15, load, Duration.ofSeconds(1), Duration.ofSeconds(2), true, false, 3, "");
    }

    /** About a minute for local and docker: 3 restarts, 5 s warm-up, 15 s of load, 32 in flight. */
    public static RunPlan quick(List<String> environments) {
        return new RunPlan(environments, 3, false, 10, LoadProfile.closed(32, Duration.ofSeconds(15)).withWarmup(Duration.ofSeconds(5))
                .withMix(RequestMix.browsing()), Duration.ofSeconds(1), Duration.ofSeconds(1), true, false, 3, "quick");
    }

    /** The standard profile: 5 restarts (until stable, up to 15), 10 s warm-up, 60 s of load, 50 in flight. */
    public static RunPlan standard(List<String> environments) {
        return new RunPlan(environments, 5, true, 15, LoadProfile.closed(50, Duration.ofSeconds(60)).withWarmup(Duration.ofSeconds(10))
                .withMix(RequestMix.browsing()), Duration.ofSeconds(1), Duration.ofSeconds(3), true, false, 3, "standard");
    }

    public String baseline() {
        return environments.getFirst();
    }

    public RunPlan withLoad(LoadProfile newLoad) {
        return new RunPlan(environments, startupTrials, untilStable, maxStartupTrials, newLoad, sampleInterval, coolDown, isolate, interleaved,
                rounds, label);
    }

    public RunPlan withStartupTrials(int trials, boolean stable, int max) {
        return new RunPlan(environments, trials, stable, Math.max(trials, max), load, sampleInterval, coolDown, isolate, interleaved, rounds,
                label);
    }

    public RunPlan withEnvironments(List<String> envs) {
        return new RunPlan(envs, startupTrials, untilStable, maxStartupTrials, load, sampleInterval, coolDown, isolate, interleaved, rounds,
                label);
    }

    public RunPlan withInterleaving(boolean on, int r) {
        return new RunPlan(environments, startupTrials, untilStable, maxStartupTrials, load, sampleInterval, coolDown, isolate, on, r, label);
    }

    public RunPlan withSampling(Duration interval, Duration cool) {
        return new RunPlan(environments, startupTrials, untilStable, maxStartupTrials, load, interval, cool, isolate, interleaved, rounds, label);
    }

    public RunPlan withLabel(String newLabel) {
        return new RunPlan(environments, startupTrials, untilStable, maxStartupTrials, load, sampleInterval, coolDown, isolate, interleaved,
                rounds, newLabel);
    }

    public RunPlan withIsolation(boolean on) {
        return new RunPlan(environments, startupTrials, untilStable, maxStartupTrials, load, sampleInterval, coolDown, on, interleaved, rounds,
                label);
    }
}
