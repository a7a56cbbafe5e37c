package org.gallerybench.engine.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.Stats;
import java.util.Objects;
import java.util.Set;

/**
 * How much whole runs differ on this machine, figure by figure, learned from the history: runs of one build of one app
 * with one plan on one machine differ by more than each run's own rounds say (a machine up for hours, another job on
 * the shared cores, the page cache), so a verdict between two runs allows for it. From every group of earlier completed
 * runs of the same build (same app, plan, dataset and machine as the run judged), the spread of each figure's median
 * on the log scale, pooled over the groups ({@code df} = runs minus groups). A run of the same build is then worse than
 * another by less than {@code t(df) · s · √2} (on the log scale, t the one-sided 95 % quantile) 95 times in 100, and
 * better by as little: that is the allowance each way.
 *
 * <p>Until {@value #ENOUGH} degrees of freedom are known (five runs of one build here, say) the noise is not known: with
 * fewer, t is so large (6.3 for one degree, 2.9 for two) that what was learned would allow nearly anything. A verdict
 * then judges conservatively and says so: a change counts only beyond ±{@value #UNKNOWN_ALLOWANCE_PERCENT} %.
 *
 * @param runs      the earlier runs the spread was learned from (in groups of two or more of one build)
 * @param df        its degrees of freedom
 * @param sdLog     per "environment|figure", the pooled standard deviation of the figure's log median
 * @param thisBuild the earlier runs like it of the judged run's own build
 */
public record RunToRunNoise(int runs, int df, Map<String, Double> sdLog, int thisBuild) {
    public RunToRunNoise(int runs, int df, Map<String, Double> sdLog) {
        this(runs, df, sdLog, 0);
    }

    /** Degrees of freedom needed before the learned spread is used. */
    public static final int ENOUGH = 4;
    /** The allowance while the machine's noise is not known: a change counts only beyond this. */
    public static final double UNKNOWN_ALLOWANCE_PERCENT = 50;
    /** The earlier runs read, at most. */
    static final int LOOK_BACK = 30;

    public RunToRunNoise {
        sdLog = Map.copyOf(sdLog);
    }


    public static RunToRunNoise none() {
        return new RunToRunNoise(0, 0, Map.of(), 0);
    }

    public boolean known() {
        return df >= ENOUGH;
    }

    /**
     * The change of {@code metric} of {@code environment} that two runs of the same build here stay within (0.09 = ±9 %,
     * upward; downward it is the same factor), or the conservative allowance while the noise is not known.
     */
    public double allowance(String environment, Metric metric) {
        Double s = sdLog.get(environment + "|" + metric.id());
        if (!known() || s == null) {
            return UNKNOWN_ALLOWANCE_PERCENT / 100;
        }
        return Math.expm1(Stats.t95(df) * s * Math.sqrt(2));
    }

    /** What it is, in a sentence: "Noise from 6 earlier runs of one build here, ...: local startup ±9 %, local p50 ±12 %". */
    public String describe(List<String> environments, List<Metric> metrics) {
        if (!known()) {
            return String.format(Locale.ROOT, "Run-to-run noise on this machine not known yet (%d earlier run%s of this build with this app and"
                    + " plan here; five of one build are needed): a change counts only beyond ±%.0f %%", thisBuild, thisBuild == 1 ? "" : "s",
                    UNKNOWN_ALLOWANCE_PERCENT);
        }
        List<String> parts = new ArrayList<>();
        for (String env : environments) {
            for (Metric metric : metrics) {
                if (sdLog.containsKey(env + "|" + metric.id())) {
                    parts.add(String.format(Locale.ROOT, "%s %s ±%.0f %%", env, metric, 100 * allowance(env, metric)));
                }
            }
        }
        return "Noise from " + runs + " earlier runs of one build here (how far one run of a build falls from another 95 times in 100): "
                + String.join(", ", parts);
    }

    /**
     * Learns it from {@code earlier} (newest first, as the history lists them): the completed runs like {@code judged}
     * (same app, plan, dataset and machine; any build), grouped by build, {@code excluded} left out.
     */
    public static RunToRunNoise learn(Iterable<RunResult> earlier, RunResult judged, Set<String> excluded) {
        Map<String, List<RunResult>> byBuild = new LinkedHashMap<>();
        int read = 0;
        for (RunResult run : earlier) {
            if (read++ >= LOOK_BACK) {
                break;
            }
            if (excluded.contains(run.id()) || run.status() != RunResult.Status.COMPLETED || !alike(run, judged)) {
                continue;
            }
            byBuild.computeIfAbsent(run.build(), b -> new ArrayList<>()).add(run);
        }
        Map<String, Double> squares = new HashMap<>();
        Map<String, Integer> freedom = new HashMap<>();
        int runs = 0;
        int df = 0;
        for (List<RunResult> group : byBuild.values()) {
            if (group.size() < 2) {
                continue;
            }
            runs += group.size();
            df += group.size() - 1;
            for (EnvironmentResult e : judged.environments()) {
                for (Metric metric : Comparisons.metrics()) {
                    List<Double> logs = new ArrayList<>();
                    for (RunResult run : group) {
                        run.environment(e.environment()).filter(EnvironmentResult::measured).ifPresent(x -> {
                            double median = Stats.median(metric.samples(x));
                            if (median > 0) {
                                logs.add(Math.log(median));
                            }
                        });
                    }
                    if (logs.size() < 2) {
                        continue;
                    }
                    double mean = logs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    double ss = logs.stream().mapToDouble(y -> (y - mean) * (y - mean)).sum();
                    String key = e.environment() + "|" + metric.id();
                    squares.merge(key, ss, Double::sum);
                    freedom.merge(key, logs.size() - 1, Integer::sum);
                }
            }
        }
        Map<String, Double> sd = new HashMap<>();
        squares.forEach((key, ss) -> sd.put(key, Math.sqrt(ss / freedom.get(key))));
        return new RunToRunNoise(runs, df, sd, byBuild.getOrDefault(judged.build(), List.of()).size());
    }

    /** Runs whose figures differ only by noise and build: the same app, load, rounds, timed starts, dataset and machine. */
    static boolean alike(RunResult a, RunResult b) {
        return a.plan().subject().equals(b.plan().subject()) && Objects.equals(a.plan().load(), b.plan().load())
                && a.plan().rounds() == b.plan().rounds() && a.plan().startupTrials() == b.plan().startupTrials()
                && Objects.equals(a.dataset() == null ? null : a.dataset().digest(), b.dataset() == null ? null : b.dataset().digest())
                && a.machine() != null && a.machine().sameAs(b.machine());
    }
}
