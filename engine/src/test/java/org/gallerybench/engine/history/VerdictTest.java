package org.gallerybench.engine.history;

import org.gallerybench.engine.run.Metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.Stats;
import org.junit.jupiter.api.Test;

/**
 * Verdicts on rounds drawn from known distributions: a 20 % shift is found (worse for a time, and for throughput in the
 * other direction), a 1 % shift is noise, a noisy pair with no shift is noise, too few rounds give no verdict and say
 * how many more would, and what runs differ by here is allowed for. The levels themselves are checked by simulation
 * in IntervalCoverageTest.
 */
class VerdictTest {
    /** A machine whose runs are known to differ by nothing: the threshold alone is the allowance. */
    static final RunToRunNoise QUIET = new RunToRunNoise(10, 10, java.util.Map.of("docker|p99", 0.0, "docker|requests/s", 0.0));

    static double[] rounds(SplittableRandom r, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean * (1 + sd * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    static MetricComparison comparison(Metric metric, String unit, double[] a, double[] b) {
        Stats.Interval ci = Stats.ratioInterval(a, b);
        return new MetricComparison(metric, unit, "docker@A", "docker@B", Stats.median(a), Stats.median(b), Stats.median(b) / Stats.median(a),
                ci.low(), ci.high(), "neither", ci.level(), a.length, b.length);
    }

    @Test
    void aTwentyPercentShiftIsFoundAndAOnePercentShiftIsNoise() {
        SplittableRandom r = new SplittableRandom(3);
        int found = 0;
        int calledNoise = 0;
        for (int draw = 0; draw < 100; draw++) {
            double[] base = rounds(r, 5, 40, 0.03);
            Verdict slower = Verdict.of(List.of(comparison(Metric.P99, "ms", base, rounds(r, 5, 48, 0.03))), 5, QUIET).getFirst();
            found += slower.kind() == Verdict.Kind.WORSE ? 1 : 0;
            Verdict same = Verdict.of(List.of(comparison(Metric.P99, "ms", base, rounds(r, 5, 40.4, 0.03))), 5, QUIET).getFirst();
            calledNoise += same.kind() == Verdict.Kind.WITHIN_NOISE ? 1 : 0;
        }
        assertThat(found).as("20 % slower, found in 100 draws").isGreaterThanOrEqualTo(98);
        // Five rounds of 3 % spread a side: a false alarm now and then is the price of any threshold; at most 2 in 100.
        assertThat(calledNoise).as("1 % slower, called noise in 100 draws").isGreaterThanOrEqualTo(98);

        Verdict v = Verdict.of(List.of(comparison(Metric.P99, "ms", new double[] {40, 41, 40.5, 39.8, 40.2},
                new double[] {48, 49, 48.5, 47.9, 48.2})), 5, QUIET).getFirst();
        // 5 rounds a side: the 3rd smallest and largest of the 25 pairwise ratios, at 1 - 2 * 4/252 = 96.8 %.
        assertThat(v.describe()).isEqualTo("docker p99: 40.2 ms → 48.2 ms, +19.9 % [+17.6 %, +21.9 %] 96.8 %: worse, beyond noise (±5 %)");
    }

    @Test
    void forThroughputLessIsWorseAndMoreIsBetter() {
        double[] base = {1000, 1010, 995, 1005, 990};
        Verdict fewer = Verdict.of(List.of(comparison(Metric.REQUESTS_PER_SECOND, "req/s", base, new double[] {800, 810, 795, 805, 790})), 5, QUIET).getFirst();
        assertThat(fewer.kind()).isEqualTo(Verdict.Kind.WORSE);
        assertThat(fewer.changeText()).startsWith("-20.");
        Verdict more = Verdict.of(List.of(comparison(Metric.REQUESTS_PER_SECOND, "req/s", base, new double[] {1200, 1210, 1195, 1205, 1190})), 5, QUIET).getFirst();
        assertThat(more.kind()).isEqualTo(Verdict.Kind.BETTER);
    }

    @Test
    void aNoisyPairWithoutAShiftAndAShiftUnderTheThresholdAreNoise() {
        SplittableRandom r = new SplittableRandom(5);
        Verdict noisy = Verdict.of(List.of(comparison(Metric.P99, "ms", rounds(r, 5, 40, 0.2), rounds(r, 5, 40, 0.2))), 5, QUIET).getFirst();
        assertThat(noisy.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        // 3 % slower and certain of it, but under a 5 % threshold: within noise, as criterion says it.
        Verdict small = Verdict.of(List.of(comparison(Metric.P99, "ms", new double[] {40, 40.1, 40.05, 39.95, 40},
                new double[] {41.2, 41.3, 41.25, 41.15, 41.2})), 5, QUIET).getFirst();
        assertThat(small.low()).isPositive();
        assertThat(small.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        Verdict two = Verdict.of(List.of(comparison(Metric.P99, "ms", new double[] {40, 40.1}, new double[] {80, 81})), 5, QUIET).getFirst();
        assertThat(two.kind()).as("two rounds a side: no interval, no verdict").isEqualTo(Verdict.Kind.UNSURE);
        assertThat(two.describe()).endsWith("unsure: 1 more round a side would settle it");
    }

    /**
     * How much whole runs differ here, learned from the history, widens what a verdict allows for: a 20 % change is worse
     * against a threshold of 5 %, within noise where runs of one build are known to differ by ±30 %, and within noise too
     * while that noise is not known (the conservative ±50 %); a twenty-fold slowdown is worse whatever the noise.
     */
    @Test
    void theRunToRunNoiseOfThisMachineIsAllowedFor() {
        double[] base = {40, 41, 40.5, 39.8, 40.2};
        double[] slower = {48, 49, 48.5, 47.9, 48.2};
        RunToRunNoise noisy = new RunToRunNoise(6, 4, java.util.Map.of("docker|p99", Math.log(1.30) / (Stats.t95(4) * Math.sqrt(2))));
        assertThat(noisy.allowance("docker", Metric.P99)).isCloseTo(0.30, org.assertj.core.api.Assertions.within(1e-9));
        Verdict known = Verdict.of(List.of(comparison(Metric.P99, "ms", base, slower)), 5, noisy).getFirst();
        assertThat(known.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        assertThat(known.describe()).endsWith("within noise (±30 %: run-to-run noise here)");
        Verdict unknown = Verdict.of(List.of(comparison(Metric.P99, "ms", base, slower)), 5, RunToRunNoise.none()).getFirst();
        assertThat(unknown.kind()).isEqualTo(Verdict.Kind.WITHIN_NOISE);
        assertThat(unknown.describe()).endsWith("within noise (±50 %: noise here not known yet)");
        double[] twentyTimes = {800, 820, 810, 796, 804};
        assertThat(Verdict.of(List.of(comparison(Metric.P99, "ms", base, twentyTimes)), 5, RunToRunNoise.none()).getFirst().kind())
                .isEqualTo(Verdict.Kind.WORSE);
        assertThat(Verdict.of(List.of(comparison(Metric.P99, "ms", base, twentyTimes)), 5, noisy).getFirst().kind()).isEqualTo(Verdict.Kind.WORSE);
    }
}
