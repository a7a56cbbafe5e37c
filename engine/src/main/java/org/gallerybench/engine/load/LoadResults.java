package org.gallerybench.engine.load;

import org.gallerybench.engine.run.RoundFigures;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Merges the rounds of a run into one load result per environment, for the charts and the whole-run histograms.
 * The table's figures and their intervals come from the rounds themselves ({@link RoundFigures}), never from this.
 */
public final class LoadResults {
    private LoadResults() {
    }

    public static LoadResult merge(List<LoadResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.getFirst();
        }
        double seconds = 0;
        long successes = 0;
        long requests = 0;
        long missed = 0;
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        Map<ErrorKind, String> first = new EnumMap<>(ErrorKind.class);
        Map<Integer, Long> statuses = new HashMap<>();
        Histogram all = LatencySummary.newHistogram();
        Map<RequestKind, Histogram> byKind = new EnumMap<>(RequestKind.class);
        List<LoadTick> ticks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> aborted = new ArrayList<>();
        double cpuSeconds = 0;
        double cpuMicros = 0;
        for (LoadResult r : rounds) {
            int offset = ticks.size();
            for (LoadTick t : r.ticks()) {
                ticks.add(new LoadTick(t.time(), t.second() + offset, t.requestsPerSecond(), t.errors(), t.p50Millis(), t.p90Millis(),
                        t.p95Millis(), t.p99Millis(), t.maxMillis(), t.byKind()));
            }
            seconds += r.seconds();
            successes += r.successes();
            requests += r.requests();
            missed += r.missed();
            r.errorsByKind().forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.firstErrors().forEach(first::putIfAbsent);
            r.statusCodes().forEach((k, v) -> statuses.merge(k, v, Long::sum));
            all.add(r.latency().decode());
            r.latencyByKind().forEach((k, v) -> byKind.computeIfAbsent(k, x -> LatencySummary.newHistogram()).add(v.decode()));
            warnings.addAll(r.warnings());
            if (r.abortedBecause() != null) {
                aborted.add(r.abortedBecause());
            }
            cpuSeconds += r.generatorCpuPercent() * r.seconds();
            cpuMicros += r.cpuMicrosPerRequest() * r.requests();
        }
        Map<RequestKind, LatencySummary> kinds = new EnumMap<>(RequestKind.class);
        byKind.forEach((k, h) -> kinds.put(k, LatencySummary.of(h)));
        return new LoadResult(rounds.getFirst().startedAt(), seconds, successes, requests, errors, first, statuses, LatencySummary.of(all),
                kinds, successes / Math.max(seconds, 1e-9), ticks, missed, cpuSeconds / Math.max(seconds, 1e-9),
                requests == 0 ? 0 : cpuMicros / requests, rounds.getFirst().seed(), aborted.isEmpty() ? null : aborted.getFirst(),
                warnings.stream().distinct().toList());
    }
}
