package org.gallerybench.engine.load;

/**
 * When each connection sends: a closed loop (the next request as soon as the answer arrives, as wrk does) or an
 * open loop (a fixed schedule per connection, as wrk2 does, with latency measured from the intended send time so
 * that a stall is not hidden). A pacer hands out one {@link Schedule} per connection.
 */
public sealed interface Pacer {

    /** The schedule of connection {@code index} of {@code connections}, starting at {@code startNanos}. */
    Schedule schedule(int index, int connections, long startNanos);

    static Pacer of(LoadProfile profile) {
        return profile.mode() == LoadProfile.Mode.OPEN ? new Open(profile.ratePerSecond()) : new Closed();
    }

    /** One connection's send times. Used by one connection at a time: not thread-safe. */
    interface Schedule {
        /** The intended send time of the next request; latency is measured from it. */
        long next(long nowNanos);

        /** Requests that were due before {@code endNanos} and never sent. Always 0 in a closed loop. */
        long missedBefore(long endNanos);
    }

    /** Send as soon as the previous answer arrives: the time is now, and nothing is ever missed. */
    record Closed() implements Pacer {
        @Override
        public Schedule schedule(int index, int connections, long startNanos) {
            return new Schedule() {
                @Override
                public long next(long nowNanos) {
                    return nowNanos;
                }

                @Override
                public long missedBefore(long endNanos) {
                    return 0;
                }
            };
        }
    }

    /**
     * A constant rate across all connections: each connection sends every {@code connections / rate} seconds,
     * the connections staggered evenly. A request due while the connection still waits for an answer is sent late,
     * and its latency counts from when it was due; one still unsent when the window ends was missed.
     */
    record Open(double ratePerSecond) implements Pacer {
        public Open {
            if (!(ratePerSecond > 0)) {
                throw new IllegalArgumentException("an open loop needs a rate above 0 requests per second");
            }
        }

        @Override
        public Schedule schedule(int index, int connections, long startNanos) {
            long interval = Math.max(1, (long) (1e9 * connections / ratePerSecond));
            long first = startNanos + (long) (index * 1e9 / ratePerSecond);
            return new Schedule() {
                private long intended = first;

                @Override
                public long next(long nowNanos) {
                    long due = intended;
                    intended += interval;
                    return due;
                }

                @Override
                public long missedBefore(long endNanos) {
                    return intended >= endNanos ? 0 : (endNanos - intended + interval - 1) / interval;
                }
            };
        }
    }
}
