package org.gallerybench.engine.load;

import java.time.Instant;
import java.util.Map;

/**
 * One second of load, from HdrHistogram's interval histograms: what the live charts draw.
 *
 * @param time              the end of the second
 * @param second            seconds since the load phase began (1 = the first)
 * @param requestsPerSecond completed successful requests in this second
 * @param errors            failed requests in this second
 * @param p50Millis         latency percentiles of this second's successful requests, in ms (NaN if none)
 * @param byKind            successful requests per kind in this second
 */
public record LoadTick(Instant time, int second, double requestsPerSecond, long errors, double p50Millis, double p90Millis,
                       double p95Millis, double p99Millis, double maxMillis, Map<RequestKind, Long> byKind) {
}
