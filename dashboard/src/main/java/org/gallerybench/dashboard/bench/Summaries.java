package org.gallerybench.dashboard.bench;

import java.util.List;

/** Builds the table's figures from the raw measurements. */
final class Summaries {
    private Summaries() {
    }

    static Summary of(List<StartupTrial> trials, List<ResourcePoint> resources, LoadResult load) {
        double[] startups = trials.stream().mapToDouble(StartupTrial::totalMillis).toArray();
        double end = load.seconds();
        List<ResourcePoint> during = resources.stream().filter(p -> p.seconds() >= 0 && p.seconds() <= end + 1).toList();
        if (during.isEmpty()) {
            during = resources;
        }
        double[] cpu = during.stream().mapToDouble(ResourcePoint::cpuPercent).toArray();
        double[] app = during.stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray();
        double[] env = during.stream().filter(p -> p.environmentMemoryBytes() >= 0).mapToDouble(ResourcePoint::environmentMemoryBytes).toArray();
        double[] hostCpu = during.stream().mapToDouble(ResourcePoint::hostCpuPercent).filter(d -> !Double.isNaN(d)).toArray();
        double[] hostMem = during.stream().filter(p -> p.hostMemoryBytes() >= 0).mapToDouble(ResourcePoint::hostMemoryBytes).toArray();
        LatencySummary l = load.latency();
        return new Summary(Stats.median(startups), Stats.min(startups), Stats.max(startups),
                startups.length >= 2 ? Stats.rsdPercent(startups) : Double.NaN,
                Stats.mean(cpu), Stats.max(cpu), Stats.mean(app), Stats.max(app), Stats.mean(env), Stats.max(env),
                Stats.mean(hostCpu), Stats.mean(hostMem),
                load.requestsPerSecond(), l.p50Millis(), l.p90Millis(), l.p95Millis(), l.p99Millis(), l.p999Millis(), l.maxMillis(),
                load.successes() + load.errors(), load.errors());
    }
}
