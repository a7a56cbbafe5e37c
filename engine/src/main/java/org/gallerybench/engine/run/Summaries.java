package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LatencySummary;
import org.gallerybench.engine.load.LoadResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Builds the table's figures from the raw measurements: medians over rounds, with intervals from the rounds. */
final class Summaries {
    /** Fewer independent samples than this: no interval, and no side marked better. */
    static final int MIN_SAMPLES_FOR_INTERVAL = 3;

    private Summaries() {
    }

    static Summary of(List<StartupTrial> trials, List<ResourcePoint> resources, LoadResult load, List<RoundFigures> rounds) {
        double[] startups = trials.stream().filter(StartupTrial::cold).mapToDouble(StartupTrial::totalMillis).toArray();
        double[] restarts = trials.stream().filter(StartupTrial::restart).mapToDouble(StartupTrial::totalMillis).toArray();
        double end = load.seconds();
        List<ResourcePoint> during = resources.stream().filter(p -> p.seconds() >= 0 && p.seconds() <= end + 1).toList();
        if (during.isEmpty()) {
            during = resources;
        }
        double[] cpu = during.stream().mapToDouble(ResourcePoint::cpuPercent).toArray();
        double[] app = during.stream().filter(p -> p.appMemoryBytes() >= 0).mapToDouble(ResourcePoint::appMemoryBytes).toArray();
        double[] env = during.stream().filter(p -> p.environmentMemoryBytes() >= 0).mapToDouble(ResourcePoint::environmentMemoryBytes).toArray();
        LatencySummary l = load.latency();
        Map<String, Stats.Interval> intervals = intervals(trials, rounds);
        return new Summary(Stats.median(startups), Stats.min(startups), Stats.max(startups),
                startups.length >= 2 ? Stats.rsdPercent(startups) : Double.NaN, Stats.median(restarts),
                median(rounds, RoundFigures::cpuMeanPercent), Stats.max(cpu),
                median(rounds, RoundFigures::appMemoryMeanBytes), Stats.max(app),
                median(rounds, RoundFigures::environmentMemoryMeanBytes), Stats.max(env),
                median(rounds, RoundFigures::hostCpuMeanPercent), median(rounds, RoundFigures::hostMemoryMeanBytes),
                median(rounds, RoundFigures::requestsPerSecond), median(rounds, RoundFigures::p50Millis), l.p90Millis(),
                median(rounds, RoundFigures::p95Millis), median(rounds, RoundFigures::p99Millis), l.p999Millis(), l.maxMillis(),
                load.requests(), load.errors(), load.timeouts(), load.missed(), rounds.size(), intervals);
    }

    /** Each figure's interval from its independent samples (the timed starts, the rounds), with the level it has. */
    static Map<String, Stats.Interval> intervals(List<StartupTrial> trials, List<RoundFigures> rounds) {
        Map<String, Stats.Interval> intervals = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            double[] samples = switch (m.source()) {
                case ROUNDS -> rounds.stream().mapToDouble(m::of).toArray();
                case COLD_STARTS -> trials.stream().filter(StartupTrial::cold).mapToDouble(StartupTrial::totalMillis).toArray();
                case RESTARTS -> trials.stream().filter(StartupTrial::restart).mapToDouble(StartupTrial::totalMillis).toArray();
            };
            interval(intervals, m.id(), samples); // keyed by the name the stored history keeps
        }
        return intervals;
    }

    private static double median(List<RoundFigures> rounds, ToDoubleFunction<RoundFigures> f) {
        return Stats.median(rounds.stream().mapToDouble(f).toArray());
    }

    private static void interval(Map<String, Stats.Interval> out, String name, double[] samples) {
        Stats.Interval i = Stats.medianInterval(samples);
        if (i != null) {
            out.put(name, i);
        }
    }
}
