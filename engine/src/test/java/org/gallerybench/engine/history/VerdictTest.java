package org.gallerybench.engine.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.gallerybench.engine.bench.MetricComparison;
import org.gallerybench.engine.bench.Stats;
import org.junit.jupiter.api.Test;

/**
 * Verdicts on rounds drawn from known distributions: a 20 % shift is found (worse for a time, and for throughput in the
 * other direction), a 1 % shift is noise, a noisy pair with no shift is noise, and too few rounds give no verdict.
 */
class VerdictTest {
    static double[] rounds(SplittableRandom r, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean * (1 + sd * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    static MetricComparison comparison(String metric, String unit, double[] a, double[] b) {
        Stats.Interval ci = Stats.bootstrapRatio(a, b, Stats::median);
        return new MetricComparison(metric, unit, "docker@A", "docker@B", Stats.median(a), Stats.median(b), Stats.median(b) / Stats.median(a),
                ci.low(), ci.high(), "neither");
    }

    @Test
    void aTwentyPercentShiftIsFoundAndAOnePercentShiftIsNoise() {
        SplittableRandom r = new SplittableRandom(3);
        int found = 0;
        int calledNoise = 0;
        for (int draw = 0; draw < 100; draw++) {
            double[] base = rounds(r, 5, 40, 0.03);
            Verdict slower = Verdict.of(List.of(comparison("p99", "ms", base, rounds(r, 5, 48, 0.03))), 5).getFirst();
            found += slower.kind() == Verdict.Kind.WORSE ? 1 : 0;
            Verdict same = Verdict.of(List.of(comparison("p99", "ms", base, rounds(r, 5, 40.4, 0.03))), 5).getFirst();
            calledNoise += same.kind() == Verdict.Kind.WITHIN_NOISE ? 1 : 0;
        }
        assertThat(found).as("20 % slower, found in 100 draws").isGreaterThanOrEqualTo(98);
        // Five rounds of 3 % spread a side: a false alarm now and then is the price of any threshold; at most 2 in 100.
        assertThat(calledNoise).as("1 % slower, called noise in 100 draws").isGreaterThanOrEqualTo(98);

        Verdict v = Verdict.of(List.of(comparison("p99", "ms", new double[] {40, 41, 40.5, 39.8, 40.2},
                new double[] {48, 49, 48.5, 47.9, 48.2})), 5).getFirst();
        assertThat(v.describe()).isEqualTo("docker p99: 40.2 ms → 48.2 ms, +19.9 % [+17.6 %, +21.9 %]: worse, beyond noise (5 %)");
    }

    @Test
    void forThroughputLessIsWorseAndMoreIsBetter() {
        double[] base = {1000, 1010, 995, 1005, 990};
        Verdict fewer = Verdict.of(List.of(comparison("requests/s", "req/s", base, new double[] {800, 810, 795, 805, 790})), 5).getFirst();
        assertThat(fewer.kind()).isEqualTo(Verdict.Kind.WORSE);
        assertThat(fewer.changeText()).startsWith("-20.");
        Verdict more = Verdict.of(List.of(comparison("requests/s", "req/s", base, new double[] {1200, 1210, 1195, 1205, 1190})), 5).getFirst();
        assertThat(more.kind()).isEqualTo(Verdict.Kind.BETTER);
    }

    @Test
    void aNoisyPairWithoutAShiftAndAShiftUnderTheThresholdAreNoise() {
        SplittableRandom r = new SplittableRandom(5);
        Verdict noisy = Verdict.of(List.of(comparison("p99", "ms", rounds(r, 5, 40, 0.2), rounds(r, 5, 40, 0.2))), 5).getFirst();
        assertThat(noisy.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        // 3 % slower and certain of it, but under a 5 % threshold: within noise, as criterion says it.
        Verdict small = Verdict.of(List.of(comparison("p99", "ms", new double[] {40, 40.1, 40.05, 39.95, 40},
                new double[] {41.2, 41.3, 41.25, 41.15, 41.2})), 5).getFirst();
        assertThat(small.low()).isPositive();
        assertThat(small.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        assertThat(Verdict.of(List.of(comparison("p99", "ms", new double[] {40, 40.1}, new double[] {80, 81})), 5).getFirst().kind())
                .as("two rounds a side: no interval, no verdict").isEqualTo(Verdict.Kind.UNSURE);
    }
}
