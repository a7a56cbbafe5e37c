package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.Arrays;

/**
 * Each environment against the baseline, metric by metric. A figure is the median of independent samples: the
 * rounds for load, CPU and memory, the timed starts for startup. The ratio is the ratio of those medians, and its
 * interval comes from the two sides' pairwise ratios with the level it really has ({@link Stats#ratioInterval}: 90 %
 * with 3 rounds a side). With fewer than 3 samples on a side there is no interval; below {@link Stats#SURE_LEVEL} no
 * side is marked better.
 */
public final class Comparisons {
    private Comparisons() {
    }

    /** The compared metrics, in table order: startup, restart, requests/s, p50, ... */
    public static List<Metric> metrics() {
        return Metric.compared();
    }

    /** An environment's figure for a metric: the median of its samples (rounds, or the timed starts). */
    public static double median(Metric metric, EnvironmentResult e) {
        return Stats.median(metric.samples(e));
    }

    public static List<MetricComparison> compute(String baseline, List<EnvironmentResult> results) {
        EnvironmentResult base = results.stream().filter(r -> r.environment().equals(baseline) && r.measured()).findFirst().orElse(null);
        List<MetricComparison> out = new ArrayList<>();
        if (base == null) {
            return out;
        }
        for (EnvironmentResult other : results) {
            if (other == base || !other.measured()) {
                continue;
            }
            for (Metric m : Metric.compared()) {
                MetricComparison c = compare(m, base, other);
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * For each metric, the environment that is better than every other one, with an interval that excludes 1
     * against each of them; metrics with no such environment are absent. With two environments this is the
     * baseline comparison's mark; with three or more, being better than the baseline alone is not enough.
     */
    public static Map<String, String> best(List<EnvironmentResult> results) {
        List<EnvironmentResult> measured = results.stream().filter(EnvironmentResult::measured).toList();
        Map<String, String> out = new LinkedHashMap<>();
        if (measured.size() < 2) {
            return out;
        }
        for (Metric m : Metric.compared()) {
            for (EnvironmentResult candidate : measured) {
                boolean beatsAll = true;
                for (EnvironmentResult other : measured) {
                    if (other == candidate) {
                        continue;
                    }
                    MetricComparison c = compare(m, other, candidate);
                    if (c == null || !c.better().equals(candidate.environment())) {
                        beatsAll = false;
                        break;
                    }
                }
                if (beatsAll) {
                    out.put(m.id(), candidate.environment());
                    break;
                }
            }
        }
        return out;
    }

    private static int countOf(double[] samples) {
        return (int) Arrays.stream(samples).filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).count();
    }

    private static MetricComparison compare(Metric m, EnvironmentResult base, EnvironmentResult other) {
        double[] a = m.samples(base);
        double[] b = m.samples(other);
        double baseValue = Stats.median(a);
        double otherValue = Stats.median(b);
        if (Double.isNaN(baseValue) || Double.isNaN(otherValue)) {
            return null;
        }
        Stats.Interval ci = Stats.ratioInterval(a, b);
        String better;
        if (!ci.sure() || ci.contains(1.0)) {
            better = "neither"; // no interval, one that includes 1, or one too little sure to mark a side
        } else {
            boolean otherHigher = ci.low() > 1.0;
            better = otherHigher == m.higherIsBetter() ? other.environment() : base.environment();
        }
        return new MetricComparison(m, m.unit(), base.environment(), other.environment(), baseValue, otherValue,
                baseValue == 0 ? Double.NaN : otherValue / baseValue, ci.low(), ci.high(), better, ci.level(), countOf(a), countOf(b));
    }
}
