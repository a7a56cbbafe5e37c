package org.gallerybench.dashboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Each environment against the baseline, metric by metric, with bootstrap 95 % intervals of the ratio. */
public final class Comparisons {
    private Comparisons() {
    }

    private record Metric(String name, String unit, boolean higherIsBetter, ToDoubleFunction<double[]> statistic,
                          Function<EnvironmentResult, double[]> samples, ToDoubleFunction<Summary> figure) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("startup", "ms", false, Stats::median,
                    e -> e.startupTrials().stream().mapToDouble(StartupTrial::totalMillis).toArray(), Summary::startupMedianMillis),
            new Metric("requests/s", "req/s", true, Stats::mean,
                    e -> e.load().ticks().stream().mapToDouble(LoadTick::requestsPerSecond).toArray(), Summary::requestsPerSecond),
            new Metric("p50", "ms", false, Stats::median,
                    e -> e.load().ticks().stream().mapToDouble(LoadTick::p50Millis).toArray(), Summary::p50Millis),
            new Metric("p95", "ms", false, Stats::median,
                    e -> e.load().ticks().stream().mapToDouble(LoadTick::p95Millis).toArray(), Summary::p95Millis),
            new Metric("p99", "ms", false, Stats::median,
                    e -> e.load().ticks().stream().mapToDouble(LoadTick::p99Millis).toArray(), Summary::p99Millis),
            new Metric("cpu", "%", false, Stats::mean,
                    e -> loadPhase(e).stream().mapToDouble(ResourcePoint::cpuPercent).toArray(), Summary::cpuMeanPercent),
            new Metric("app memory", "bytes", false, Stats::mean,
                    e -> loadPhase(e).stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray(),
                    Summary::appMemoryMeanBytes),
            new Metric("environment memory", "bytes", false, Stats::mean,
                    e -> loadPhase(e).stream().filter(p -> p.environmentMemoryBytes() >= 0)
                            .mapToDouble(ResourcePoint::environmentMemoryBytes).toArray(), Summary::environmentMemoryMeanBytes),
            new Metric("host memory", "bytes", false, Stats::mean,
                    e -> loadPhase(e).stream().filter(p -> p.hostMemoryBytes() >= 0).mapToDouble(ResourcePoint::hostMemoryBytes).toArray(),
                    Summary::hostMemoryMeanBytes));

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
                double[] a = m.samples().apply(base);
                double[] b = m.samples().apply(other);
                if (a.length == 0 || b.length == 0) {
                    continue;
                }
                Stats.Interval ci = Stats.bootstrapRatio(a, b, m.statistic());
                String better;
                if (Double.isNaN(ci.low()) || ci.contains(1.0)) {
                    better = "neither";
                } else {
                    boolean otherHigher = ci.low() > 1.0;
                    better = otherHigher == m.higherIsBetter() ? other.environment() : base.environment();
                }
                double baseValue = m.figure().applyAsDouble(base.summary());
                double otherValue = m.figure().applyAsDouble(other.summary());
                out.add(new MetricComparison(m.name(), m.unit(), base.environment(), other.environment(), baseValue, otherValue,
                        otherValue / baseValue, ci.low(), ci.high(), better));
            }
        }
        return out;
    }

    /** Samples taken while the measured load ran (not during warm-up). */
    static List<ResourcePoint> loadPhase(EnvironmentResult e) {
        double end = e.load() == null ? Double.MAX_VALUE : e.load().seconds();
        return e.resources().stream().filter(p -> p.seconds() >= 0 && p.seconds() <= end + 1).toList();
    }
}
