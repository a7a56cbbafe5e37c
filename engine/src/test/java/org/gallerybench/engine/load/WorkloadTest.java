package org.gallerybench.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

/**
 * Which request a connection sends. The first version took the clock modulo the gallery's size and went negative
 * once bit 41 of {@code System.nanoTime()} was set (36.6 to 73.3 minutes of uptime, and so on): "Index -7 out of
 * bounds for length 96". Tests of a one-image gallery could never see it (anything % 1 is 0).
 */
class WorkloadTest {
    private static final int[] GALLERY_SIZES = {1, 2, 96, 10_000};

    /** Every value a clock could read, from boot to the end of the signed range: each bit alone, bit 41 with every other, and a sweep. */
    static long[] clockValues() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int bit = 0; bit < 64; bit++) {
            values.add(1L << bit);
            values.add((1L << bit) | (1L << 41));
            values.add(~(1L << bit));
        }
        for (long t = 0; t >= 0 && t < Long.MAX_VALUE - 0x3FFF_FFFF_FFFFL; t += 0x3FFF_FFFF_FFFFL + 7919) {
            values.add(t);
        }
        // 36.6 to 73.3 minutes of uptime, as nanoseconds, every 37 seconds.
        for (long t = (1L << 41); t < (1L << 42); t += 37_000_000_000L) {
            values.add(t);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** A random source that returns exactly the given values: a stand-in for a clock-driven choice. */
    static RandomGenerator replaying(long[] values) {
        return new RandomGenerator() {
            private int i;

            @Override
            public long nextLong() {
                return values[i++ % values.length];
            }
        };
    }

    @Test
    void theImageChoiceIsInRangeForEveryClockValueAndEveryGallerySize() {
        long[] clock = clockValues();
        assertThat(clock.length).isGreaterThan(10_000);
        for (int size : GALLERY_SIZES) {
            RandomGenerator random = replaying(clock);
            for (int i = 0; i < clock.length * 2; i++) {
                int index = Workload.pickImage(random, size);
                assertThat(index).as("gallery of %d images", size).isBetween(0, size - 1);
            }
        }
    }

    @Test
    void everyImageOfARealisticGalleryIsRequestedAndTheSameSeedRepeatsTheChoices() {
        for (int size : GALLERY_SIZES) {
            List<String> images = IntStream.range(0, size).mapToObj(i -> "/images/" + i + ".png").toList();
            Workload workload = new Workload(new HttpHost("http", "127.0.0.1", 1), RequestMix.browsing().sequence(), images, new byte[0], 42);
            Set<String> seen = new HashSet<>();
            List<String> first = new ArrayList<>();
            Workload.Chooser a = workload.chooser(3);
            for (int i = 0; i < Math.max(2_000, size * 20); i++) {
                String image = a.nextImage();
                seen.add(image);
                if (i < 100) {
                    first.add(image);
                }
            }
            assertThat(seen).as("images requested of %d", size).hasSize(size);
            Workload.Chooser again = workload.chooser(3);
            assertThat(IntStream.range(0, 100).mapToObj(i -> again.nextImage()).toList()).as("same seed, same connection").isEqualTo(first);
            if (size > 2) {
                Workload.Chooser other = workload.chooser(4);
                assertThat(IntStream.range(0, 100).mapToObj(i -> other.nextImage()).toList()).as("another connection").isNotEqualTo(first);
            }
        }
    }

    @Test
    void theMixHoldsItsProportionsOnEveryConnection() {
        Workload workload = new Workload(new HttpHost("http", "127.0.0.1", 1), RequestMix.browsing().sequence(), List.of("/images/a.png"),
                new byte[0], 7);
        for (int c = 0; c < 8; c++) {
            Workload.Chooser chooser = workload.chooser(c);
            int[] counts = new int[RequestKind.values().length];
            for (int i = 0; i < 1000; i++) {
                counts[chooser.nextKind().ordinal()]++;
            }
            assertThat(counts[RequestKind.PAGE.ordinal()]).isEqualTo(700);
            assertThat(counts[RequestKind.IMAGE.ordinal()]).isEqualTo(250);
            assertThat(counts[RequestKind.UPLOAD.ordinal()]).isEqualTo(50);
        }
    }
}
