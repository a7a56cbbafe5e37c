package org.gallerybench.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;

import org.junit.jupiter.api.Test;

/**
 * Rounds drawn from known distributions: the warnings fire on an outlier, a slow first round, two groups and a wide
 * spread, and stay silent on clean data, over many draws (a warning that fires on clean rounds now and then would
 * teach people to ignore it).
 */
class NoiseTest {
    static final DoubleFunction<String> MS = x -> String.format(Locale.ROOT, "%.1f ms", x);

    /** n rounds around {@code mean} with a relative spread {@code sd} (normal). */
    static double[] normal(SplittableRandom r, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = mean * (1 + sd * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    @Test
    void cleanRoundsSayNothingButTheirCv() {
        SplittableRandom r = new SplittableRandom(7);
        for (int draw = 0; draw < 500; draw++) {
            for (int n : new int[] {3, 5, 10}) {
                double[] rounds = normal(r, n, 40, 0.02);
                Noise noise = Noise.of("p99", rounds, false, MS, "round");
                assertThat(noise.findings()).as("draw %d, n %d: %s", draw, n, java.util.Arrays.toString(rounds)).isEmpty();
                assertThat(noise.cvPercent()).isBetween(0.0, 8.0);
            }
        }
        assertThat(Noise.of("p99", new double[] {40, 41, 40.5}, false, MS, "round").cv()).matches("CV [0-9.]+ %");
    }

    @Test
    void oneRoundFarFromTheOthersIsAnOutlier() {
        Noise noise = Noise.of("p99", new double[] {40.2, 39.8, 41.0, 95.0, 40.5}, false, MS, "round");
        assertThat(noise.findings()).singleElement().asString()
                .startsWith("p99: round 4 of 5 (95.0 ms) is an outlier against the median 40.5 ms");
        // The MAD is 0 when most rounds are equal: the mean absolute deviation still finds the odd one.
        assertThat(Noise.of("p99", new double[] {40, 40, 40, 40, 60}, false, MS, "round").findings()).singleElement().asString()
                .contains("round 5 of 5 (60.0 ms) is an outlier");
    }

    @Test
    void aSlowFirstRoundSaysTheWarmUpWasTooShort() {
        Noise latency = Noise.of("p99", new double[] {52, 40.3, 40.9, 39.7, 40.1}, false, MS, "round");
        assertThat(latency.findings()).singleElement().asString()
                .startsWith("p99: the first round (52.0 ms) is 29 % worse than the rest (median 40.2 ms): the warm-up was too short");
        Noise throughput = Noise.of("requests/s", new double[] {800, 1000, 1010, 990}, true, x -> String.format(Locale.ROOT, "%.0f/s", x), "round");
        assertThat(throughput.findings()).singleElement().asString().contains("the first round (800/s) is 20 % worse");
        // A first round that is better is no warm-up problem.
        assertThat(Noise.of("p99", new double[] {35, 40.3, 40.9, 39.7}, false, MS, "round").findings()).noneMatch(f -> f.contains("first"));
    }

    @Test
    void roundsInTwoGroupsAreSaid() {
        Noise noise = Noise.of("p50", new double[] {10.1, 15.2, 10.0, 15.0, 10.2, 15.1}, false, MS, "round");
        assertThat(noise.findings()).singleElement().asString()
                .startsWith("p50: the rounds fall in two groups, 3 around 10.1 ms and 3 around 15.1 ms");
    }

    @Test
    void aWideSpreadWithoutAPatternIsNoisy() {
        SplittableRandom r = new SplittableRandom(11);
        double[] rounds = normal(r, 6, 40, 0.25);
        Noise noise = Noise.of("p99", rounds, false, MS, "round");
        assertThat(noise.cvPercent()).isGreaterThan(10);
        assertThat(noise.findings()).isNotEmpty();
    }

    @Test
    void tooFewRoundsClaimNothing() {
        assertThat(Noise.of("p99", new double[] {40, 90}, false, MS, "round").findings()).isEmpty();
        assertThat(Noise.of("p99", new double[] {40}, false, MS, "round").cv()).isEmpty();
    }
}
