package org.gallerybench.dashboard.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Merges the rounds of an interleaved run into one load result per environment. */
final class LoadResults {
    private LoadResults() {
    }

    static LoadResult merge(List<LoadResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.getFirst();
        }
        double seconds = 0;
        long successes = 0;
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        Map<Integer, Long> statuses = new HashMap<>();
        Histogram all = LatencySummary.newHistogram();
        Map<RequestKind, Histogram> byKind = new EnumMap<>(RequestKind.class);
        List<LoadTick> ticks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
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
            r.errorsByKind().forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.statusCodes().forEach((k, v) -> statuses.merge(k, v, Long::sum));
            all.add(r.latency().decode());
            r.latencyByKind().forEach((k, v) -> byKind.computeIfAbsent(k, x -> LatencySummary.newHistogram()).add(v.decode()));
            warnings.addAll(r.warnings());
            cpuSeconds += r.generatorCpuPercent() * r.seconds();
            cpuMicros += r.cpuMicrosPerRequest() * (r.successes() + r.errors());
        }
        Map<RequestKind, LatencySummary> kinds = new EnumMap<>(RequestKind.class);
        byKind.forEach((k, h) -> kinds.put(k, LatencySummary.of(h)));
        long requests = successes + errors.values().stream().mapToLong(Long::longValue).sum();
        return new LoadResult(rounds.getFirst().startedAt(), seconds, successes, errors, statuses, LatencySummary.of(all), kinds,
                successes / Math.max(seconds, 1e-9), ticks, cpuSeconds / Math.max(seconds, 1e-9), requests == 0 ? 0 : cpuMicros / requests,
                warnings.stream().distinct().toList());
    }
}
