package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

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

    /** The per-round figures that are compared, by metric name. */
    static final Map<String, ToDoubleFunction<RoundFigures>> ROUND_METRICS = roundMetrics();

    private static Map<String, ToDoubleFunction<RoundFigures>> roundMetrics() {
        Map<String, ToDoubleFunction<RoundFigures>> m = new LinkedHashMap<>();
        m.put("requests/s", RoundFigures::requestsPerSecond);
        m.put("p50", RoundFigures::p50Millis);
        m.put("p95", RoundFigures::p95Millis);
        m.put("p99", RoundFigures::p99Millis);
        m.put("cpu", RoundFigures::cpuMeanPercent);
        m.put("host cpu", RoundFigures::hostCpuMeanPercent);
        m.put("app memory", RoundFigures::appMemoryMeanBytes);
        m.put("environment memory", RoundFigures::environmentMemoryMeanBytes);
        m.put("host memory", RoundFigures::hostMemoryMeanBytes);
        m.put("p50 at 1", RoundFigures::p50AtOneMillis);
        m.put("p99 at 1", RoundFigures::p99AtOneMillis);
        m.put("host cpu per request", RoundFigures::hostCpuMicrosPerRequest);
        return m;
    }

    private record Metric(String name, String unit, boolean higherIsBetter, Function<EnvironmentResult, double[]> samples) {
    }

    /**
     * Figures whose definition differs between environments, so they are shown but never given a ratio or a mark:
     * "cpu" is what each environment sees of itself (a container's cgroup, a guest's top under emulation), and
     * "environment memory" is a process's RSS, a cgroup, or a guest's used memory. Host CPU and host memory are what
     * this machine pays in every environment, and app memory is the server's RSS everywhere: those are compared.
     */
    public static final java.util.Set<String> UNRANKED = java.util.Set.of("cpu", "environment memory");

    private static final List<Metric> METRICS = metrics();

    private static List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        out.add(new Metric("startup", "ms", false,
                e -> e.startupTrials().stream().filter(StartupTrial::cold).mapToDouble(StartupTrial::totalMillis).toArray()));
        out.add(new Metric("restart", "ms", false,
                e -> e.startupTrials().stream().filter(StartupTrial::restart).mapToDouble(StartupTrial::totalMillis).toArray()));
        Map<String, String> units = Map.of("requests/s", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "cpu", "%", "host cpu", "%",
                "p50 at 1", "ms", "p99 at 1", "ms", "host cpu per request", "us");
        ROUND_METRICS.forEach((name, f) -> {
            if (!UNRANKED.contains(name)) {
                out.add(new Metric(name, units.getOrDefault(name, "bytes"), name.equals("requests/s"),
                        e -> e.rounds().stream().mapToDouble(f).toArray()));
            }
        });
        return List.copyOf(out);
    }

    /** The compared metrics' names, in table order: startup, restart, requests/s, p50, ... */
    public static List<String> metricNames() {
        return METRICS.stream().map(Metric::name).toList();
    }

    /** A compared metric's samples of an environment (its rounds, or its timed starts); an unknown name is an error. */
    public static double[] samples(String metric, EnvironmentResult e) {
        return metric(metric).samples().apply(e);
    }

    /** Its unit: "ms", "req/s", "%", "bytes", "us". */
    public static String unit(String metric) {
        return metric(metric).unit();
    }

    private static Metric metric(String name) {
        return METRICS.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no figure '" + name + "': choose from " + String.join(", ", metricNames())));
    }

    /** True for a compared metric where more is better (throughput); false for times, memory and CPU. */
    public static boolean higherIsBetter(String metric) {
        return METRICS.stream().filter(m -> m.name().equals(metric)).findFirst().map(Metric::higherIsBetter).orElse(false);
    }

    /** An environment's figure for a compared metric: the median of its samples (rounds, or the timed starts). */
    public static double median(String metric, EnvironmentResult e) {
        return METRICS.stream().filter(m -> m.name().equals(metric)).findFirst()
                .map(m -> Stats.median(m.samples().apply(e))).orElseThrow(() -> new IllegalArgumentException("no metric " + metric));
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
            for (Metric m : METRICS) {
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
        for (Metric m : METRICS) {
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
                    out.put(m.name(), candidate.environment());
                    break;
                }
            }
        }
        return out;
    }

    private static int countOf(double[] samples) {
        return (int) java.util.Arrays.stream(samples).filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).count();
    }

    private static MetricComparison compare(Metric m, EnvironmentResult base, EnvironmentResult other) {
        double[] a = m.samples().apply(base);
        double[] b = m.samples().apply(other);
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
        return new MetricComparison(m.name(), m.unit(), base.environment(), other.environment(), baseValue, otherValue,
                baseValue == 0 ? Double.NaN : otherValue / baseValue, ci.low(), ci.high(), better, ci.level(), countOf(a), countOf(b));
    }
}
