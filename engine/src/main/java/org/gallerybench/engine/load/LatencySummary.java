package org.gallerybench.engine.load;

import java.nio.ByteBuffer;
import java.util.Base64;

import org.HdrHistogram.Histogram;
import java.util.zip.DataFormatException;

/**
 * Percentiles of a latency histogram, in milliseconds, and the histogram itself (HdrHistogram's compressed
 * encoding, base64) so that reports can be re-read and merged exactly.
 */
public record LatencySummary(long count, double meanMillis, double p50Millis, double p90Millis, double p95Millis, double p99Millis,
                             double p999Millis, double maxMillis, String histogram) {

    /** Values are recorded in microseconds. */
    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, encode(h));
        }
        return new LatencySummary(h.getTotalCount(), h.getMean() / 1000.0, ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1000.0, encode(h));
    }

    public static LatencySummary empty() {
        return of(newHistogram());
    }

    /** A histogram for latencies in microseconds, up to 10 minutes, 3 significant digits. */
    public static Histogram newHistogram() {
        return new Histogram(600_000_000L, 3);
    }

    /** The stored histogram, decoded. */
    public Histogram decode() {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt histogram", e);
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
