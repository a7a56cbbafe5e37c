package org.gallerybench.engine.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one load phase measured, counted as wrk counts: only answers completed inside the measured window count;
 * requests still in flight when it ends are neither successes nor requests; a failed connect is an error but not a
 * request.
 *
 * @param startedAt           when the measured window began (after warm-up)
 * @param seconds             the window's length, in seconds
 * @param successes           2xx answers completed inside the window
 * @param requests            exchanges completed inside the window, successful or not (failed connects excluded)
 * @param errorsByKind        failures by kind; a 404 or a 505 is a NON_2XX failure, a failed connect a CONNECT failure
 * @param firstErrors         the first message seen of each kind, for people ("connection reset by peer")
 * @param statusCodes         every status code seen, with counts
 * @param latency             all successful requests
 * @param latencyByKind       the same, per request kind
 * @param requestsPerSecond   successes per second of the window
 * @param ticks               one per full second, as the live charts drew them
 * @param missed              open loop: requests that were due inside the window but never sent
 * @param generatorCpuPercent this process's CPU use during the window (100 = one core)
 * @param cpuMicrosPerRequest this process's CPU time per request
 * @param seed                the seed the connections' random choices were drawn from: the same seed repeats them
 * @param abortedBecause      null, or why the phase ended early, e.g. "every request failed for 3 s (connection refused)"
 * @param warnings            e.g. that the generator itself was the bottleneck
 */
public record LoadResult(Instant startedAt, double seconds, long successes, long requests, Map<ErrorKind, Long> errorsByKind,
                         Map<ErrorKind, String> firstErrors, Map<Integer, Long> statusCodes, LatencySummary latency,
                         Map<RequestKind, LatencySummary> latencyByKind, double requestsPerSecond, List<LoadTick> ticks, long missed,
                         double generatorCpuPercent, double cpuMicrosPerRequest, long seed, String abortedBecause, List<String> warnings) {

    public LoadResult {
        errorsByKind = errorsByKind == null ? Map.of() : Map.copyOf(errorsByKind);
        firstErrors = firstErrors == null ? Map.of() : Map.copyOf(firstErrors);
        statusCodes = statusCodes == null ? Map.of() : Map.copyOf(statusCodes);
        latencyByKind = latencyByKind == null ? Map.of() : Map.copyOf(latencyByKind);
        ticks = ticks == null ? List.of() : List.copyOf(ticks);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public long errors() {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests that got no complete answer before their deadline: shown next to the percentiles. */
    public long timeouts() {
        return errorsByKind.getOrDefault(ErrorKind.TIMEOUT, 0L);
    }

    /** "12 connection reset (connection reset by peer), 3 timed out" or "" when there were none. */
    public String describeErrors() {
        StringBuilder b = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            long n = errorsByKind.getOrDefault(k, 0L);
            if (n == 0) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(n).append(' ').append(k.label());
            String first = firstErrors.get(k);
            if (first != null && !first.isBlank()) {
                b.append(" (").append(first).append(')');
            }
        }
        return b.toString();
    }
}
