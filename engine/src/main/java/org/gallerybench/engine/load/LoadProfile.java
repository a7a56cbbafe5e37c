package org.gallerybench.engine.load;

import java.time.Duration;
import java.util.Locale;

/**
 * What load to apply. RecordBuilder generates {@code LoadProfileBuilder} and a wither for every component
 * ({@code withMix}, {@code withWarmup}, ...).
 *
 * @param mode           closed loop (N requests in flight, as {@code ab -c} did) or open loop (a constant rate,
 *                       latency measured from each request's intended send time, as wrk2 does)
 * @param concurrency    connections; in closed loop also the requests in flight
 * @param ratePerSecond  open loop only: requests per second across all connections
 * @param duration       how long to load (the load phase; warm-up comes before it)
 * @param requestLimit   closed loop only: stop after this many requests (as {@code ab -n}); 0 for none
 * @param warmup         load applied and thrown away first, so that JITs and caches are warm
 * @param requestTimeout a request with no complete answer by then is a timeout error
 * @param mix            what is requested
 * @param uploadBytes    size of each uploaded image
 */
@io.soabase.recordbuilder.core.RecordBuilder
public record LoadProfile(Mode mode, int concurrency, double ratePerSecond, Duration duration, long requestLimit, Duration warmup,
                          Duration requestTimeout, RequestMix mix, int uploadBytes) implements LoadProfileBuilder.With {

    public enum Mode { CLOSED, OPEN }

    public LoadProfile {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (mode == Mode.OPEN && !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("an open-loop profile needs a rate above 0 requests per second");
        }
        if (duration.isNegative() || (duration.isZero() && requestLimit <= 0)) {
            throw new IllegalArgumentException("give the load a duration, or a request count");
        }
        if (uploadBytes < 1024) {
            throw new IllegalArgumentException("uploads must be at least 1 KiB");
        }
    }

    public static LoadProfile closed(int concurrency, Duration duration) {
        return new LoadProfile(Mode.CLOSED, concurrency, 0, duration, 0, Duration.ZERO, Duration.ofSeconds(10), RequestMix.pageOnly(),
                100 * 1024);
    }

    /** Closed loop for a fixed number of requests, as {@code ab -n COUNT -c CONCURRENCY} did. */
    public static LoadProfile requests(int concurrency, long count) {
        return new LoadProfile(Mode.CLOSED, concurrency, 0, Duration.ZERO, count, Duration.ZERO, Duration.ofSeconds(10), RequestMix.pageOnly(),
                100 * 1024);
    }

    public static LoadProfile open(double rate, int connections, Duration duration) {
        return new LoadProfile(Mode.OPEN, connections, rate, duration, 0, Duration.ZERO, Duration.ofSeconds(10), RequestMix.pageOnly(),
                100 * 1024);
    }

    /** "closed, 50 in flight, 30 s" or "open, 500/s on 64 connections, 30 s". */
    public String describe() {
        String what = mode == Mode.CLOSED
                ? "closed loop, " + concurrency + " in flight"
                : String.format(Locale.ROOT, "open loop, %.0f/s on %d connections", ratePerSecond, concurrency);
        String howLong = requestLimit > 0 && duration.isZero() ? requestLimit + " requests" : duration.toSeconds() + " s";
        return what + ", " + howLong + ", mix " + mix;
    }
}
