package org.gallerybench.engine.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The statistics of one window of load (the warm-up, or the measured window): HdrHistogram {@link Recorder}s per
 * request kind, whose interval histograms are recycled once a second into the ticks, error counts by kind with the
 * first message of each, and status codes. Recording is thread-safe and lock-free on the success path; once the
 * window is {@link #close closed}, nothing more is counted, so answers that arrive after the end are neither
 * successes nor requests.
 */
final class PhaseStats {
    private static final long MAX_MICROS = 600_000_000L;

    private final RequestMix mix;
    private final EnumMap<RequestKind, Recorder> recorders = new EnumMap<>(RequestKind.class);
    private final EnumMap<RequestKind, Histogram> cumulative = new EnumMap<>(RequestKind.class);
    private final EnumMap<RequestKind, Histogram> recycled = new EnumMap<>(RequestKind.class);
    private final EnumMap<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final Map<ErrorKind, String> firstErrors = new ConcurrentHashMap<>();
    private final LongAdder errorsThisSecond = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder ok200 = new LongAdder();
    private final Map<Integer, LongAdder> otherStatuses = new ConcurrentHashMap<>();
    private final List<LoadTick> ticks = new ArrayList<>();
    private final Instant startedAt = Instant.now();
    private final long startNanos;
    private volatile boolean closed;
    private volatile String lastError = "";
    private long endNanos;

    PhaseStats(RequestMix mix, long startNanos) {
        this.mix = mix;
        this.startNanos = startNanos;
        for (RequestKind k : RequestKind.values()) {
            recorders.put(k, new Recorder(MAX_MICROS, 3));
            cumulative.put(k, LatencySummary.newHistogram());
        }
        for (ErrorKind e : ErrorKind.values()) {
            errors.put(e, new LongAdder());
        }
    }

    long startNanos() {
        return startNanos;
    }

    /** A complete answer: a success when 2xx, else a NON_2XX error. Latency in nanoseconds. */
    void answered(RequestKind kind, int status, long latencyNanos) {
        if (closed) {
            return;
        }
        if (status == 200) {
            ok200.increment();
        } else {
            otherStatuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
        // A form's upload answered with "see the gallery" (POST/Redirect/GET: 302 or 303, not followed) is an upload done.
        boolean uploadRedirected = kind == RequestKind.UPLOAD && (status == 302 || status == 303);
        if (status >= 200 && status < 300 || uploadRedirected) {
            recorders.get(kind).recordValue(Math.min(Math.max(0, latencyNanos / 1000), MAX_MICROS));
            successes.increment();
        } else {
            failed(ErrorKind.NON_2XX, "HTTP " + status + " on " + kind.key());
        }
    }

    /** A failure of the given kind; the first message of each kind is kept. */
    void failed(ErrorKind kind, String message) {
        if (closed) {
            return;
        }
        errors.get(kind).increment();
        errorsThisSecond.increment();
        failures.increment();
        firstErrors.putIfAbsent(kind, message);
        lastError = message;
    }

    long successCount() {
        return successes.sum();
    }

    long failureCount() {
        return failures.sum();
    }

    /** The most recent failure's message: the cause named when every request fails. */
    String lastError() {
        return lastError;
    }

    /** The figures of the second that just ended. Called from one thread, once a second. */
    LoadTick tick(int second) {
        Histogram interval = LatencySummary.newHistogram();
        Map<RequestKind, Long> byKind = new EnumMap<>(RequestKind.class);
        for (RequestKind k : RequestKind.values()) {
            Histogram h = recorders.get(k).getIntervalHistogram(recycled.get(k));
            recycled.put(k, h);
            cumulative.get(k).add(h);
            interval.add(h);
            if (mix.includes(k)) {
                byKind.put(k, h.getTotalCount());
            }
        }
        boolean any = interval.getTotalCount() > 0;
        LoadTick tick = new LoadTick(Instant.now(), second, interval.getTotalCount(), errorsThisSecond.sumThenReset(),
                any ? interval.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? interval.getValueAtPercentile(90) / 1000.0 : Double.NaN,
                any ? interval.getValueAtPercentile(95) / 1000.0 : Double.NaN,
                any ? interval.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? interval.getMaxValue() / 1000.0 : Double.NaN, byKind);
        ticks.add(tick);
        return tick;
    }

    /** Ends the window at {@code nanos}: what completes afterwards is not counted. */
    void close(long nanos) {
        endNanos = nanos;
        closed = true;
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** The window's result. Call after {@link #close}. */
    LoadResult result(long missed, GeneratorLoad.Reading cpu, long seed, String abortedBecause, List<String> warnings) {
        Map<RequestKind, LatencySummary> byKind = new EnumMap<>(RequestKind.class);
        Histogram all = LatencySummary.newHistogram();
        for (RequestKind k : RequestKind.values()) {
            Histogram h = cumulative.get(k);
            h.add(recorders.get(k).getIntervalHistogram());
            if (mix.includes(k)) {
                byKind.put(k, LatencySummary.of(h));
            }
            all.add(h);
        }
        Map<ErrorKind, Long> errorCounts = new EnumMap<>(ErrorKind.class);
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        Map<Integer, Long> statusCounts = new HashMap<>();
        if (ok200.sum() > 0) {
            statusCounts.put(200, ok200.sum());
        }
        otherStatuses.forEach((k, v) -> statusCounts.put(k, v.sum()));
        long ok = all.getTotalCount();
        long requests = ok + failures.sum() - errorCounts.get(ErrorKind.CONNECT);
        double seconds = Math.max(seconds(), 1e-9);
        return new LoadResult(startedAt, seconds(), ok, requests, errorCounts, firstErrors, statusCounts, LatencySummary.of(all), byKind, ok / seconds, List.copyOf(ticks), missed,
                cpu.cpuPercent(), requests == 0 ? 0 : cpu.cpuNanos() / 1000.0 / requests, seed, abortedBecause, warnings);
    }
}
