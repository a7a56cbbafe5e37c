package org.gallerybench.dashboard.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one load phase measured.
 *
 * @param startedAt           when the measured phase began (after warm-up)
 * @param seconds             its length, in seconds, from the first request sent to the last one allowed
 * @param successes           2xx answers
 * @param errorsByKind        failures by kind; a 404 or a 505 is a NON_2XX failure
 * @param statusCodes         every status code seen, with counts
 * @param latency             all successful requests
 * @param latencyByKind       the same, per request kind
 * @param requestsPerSecond   successes per second
 * @param ticks               one per full second, as the live charts drew them
 * @param generatorCpuPercent this process's CPU use during the phase (100 = one core)
 * @param cpuMicrosPerRequest this process's CPU time per request
 * @param warnings            e.g. that the generator itself was the bottleneck
 */
public record LoadResult(Instant startedAt, double seconds, long successes, Map<ErrorKind, Long> errorsByKind, Map<Integer, Long> statusCodes,
                         LatencySummary latency, Map<RequestKind, LatencySummary> latencyByKind, double requestsPerSecond,
                         List<LoadTick> ticks, double generatorCpuPercent, double cpuMicrosPerRequest, List<String> warnings) {

    public long errors() {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }
}
