package org.gallerybench.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.gallerybench.engine.history.RunToRunNoise;
import org.gallerybench.engine.history.Verdict;
import org.junit.jupiter.api.Test;

/**
 * No interval claims a level it does not have: rounds drawn from known distributions (normal, lognormal, and a bimodal
 * mix like a machine that is sometimes busy), n = 3 to 10, 10,000 trials each. A figure's interval must cover the true
 * median as often as its stated level says, within 1.5 points; a ratio's interval must cover the true ratio (one side
 * the other scaled by 1.3) likewise; and a verdict on two identical distributions must raise a false alarm no more often
 * than its level allows (1 - level, within the same 1.5 points), and with the default allowances (5 %, and ±50 % while
 * the machine's noise is not known) never more often.
 */
class IntervalCoverageTest {
    static final int TRIALS = 10_000;
    static final double TOLERANCE = 0.015;

    /** A distribution to draw rounds from, and its true median. */
    record Distribution(String name, Function<SplittableRandom, Double> draw, double median) {
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static final List<Distribution> DISTRIBUTIONS = List.of(
            new Distribution("normal(100, 10)", r -> 100 + 10 * gaussian(r), 100),
            new Distribution("lognormal(0, 0.5)", r -> Math.exp(0.5 * gaussian(r)), 1),
            new Distribution("bimodal 60 % N(100, 5) + 40 % N(130, 5)", r -> r.nextDouble() < 0.6 ? 100 + 5 * gaussian(r) : 130 + 5 * gaussian(r),
                    bimodalMedian()));

    /** The mixture's median, by bisection on its distribution function. */
    static double bimodalMedian() {
        double lo = 90;
        double hi = 140;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            double cdf = 0.6 * Stats.normalCdf((mid - 100) / 5) + 0.4 * Stats.normalCdf((mid - 130) / 5);
            if (cdf < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    static double[] draw(Distribution d, SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * d.draw().apply(r);
        }
        return v;
    }

    @Test
    void aMediansIntervalCoversTheTrueMedianAsOftenAsItsLevelSays() {
        assertThat(misses(0, (d, r, n) -> Stats.medianInterval(draw(d, r, n, 1)), Distribution::median))
                .as("intervals whose coverage is not their stated level").isEmpty();
    }

    @Test
    void aRatiosIntervalCoversTheTrueRatioAsOftenAsItsLevelSays() {
        assertThat(misses(1, (d, r, n) -> Stats.ratioInterval(draw(d, r, n, 1), draw(d, r, n, 1.3)), d -> 1.3))
                .as("ratio intervals whose coverage is not their stated level").isEmpty();
    }

    /** How an interval is made from n samples of a distribution. */
    @FunctionalInterface
    interface Maker {
        Stats.Interval make(Distribution d, SplittableRandom r, int n);
    }

    /**
     * For every distribution and n = 3..10, {@value #TRIALS} intervals made by {@code maker}: each (distribution, n) whose
     * share covering {@code truth} is not its stated level within {@value #TOLERANCE}, as a line.
     */
    private static List<String> misses(int seed, Maker maker, java.util.function.ToDoubleFunction<Distribution> truth) {
        List<String> misses = new ArrayList<>();
        for (Distribution d : DISTRIBUTIONS) {
            SplittableRandom r = new SplittableRandom(d.name().hashCode() + seed);
            for (int n = 3; n <= 10; n++) {
                int covered = 0;
                double level = Double.NaN;
                for (int t = 0; t < TRIALS; t++) {
                    Stats.Interval i = maker.make(d, r, n);
                    level = i.level();
                    covered += i.contains(truth.applyAsDouble(d)) ? 1 : 0;
                }
                double coverage = (double) covered / TRIALS;
                if (Math.abs(coverage - level) > TOLERANCE) {
                    misses.add(String.format("%s, n = %d: stated %.3f, covered %.3f", d.name(), n, level, coverage));
                }
            }
        }
        return misses;
    }

    @Test
    void aVerdictOnIdenticalDistributionsRaisesFalseAlarmsNoMoreThanItsLevelAllows() {
        // A machine whose runs are known not to differ (allowance 0) and no threshold: only the interval judges.
        RunToRunNoise quiet = new RunToRunNoise(10, 10, java.util.Map.of("docker|p99", 0.0));
        List<String> misses = new ArrayList<>();
        for (Distribution d : DISTRIBUTIONS) {
            SplittableRandom r = new SplittableRandom(d.name().hashCode() + 2);
            for (int n = 3; n <= 10; n++) {
                int alarms = 0;
                int alarmsByDefault = 0;
                double level = Double.NaN;
                for (int t = 0; t < TRIALS; t++) {
                    double[] a = draw(d, r, n, 1);
                    double[] b = draw(d, r, n, 1);
                    Stats.Interval i = Stats.ratioInterval(a, b);
                    level = i.level();
                    MetricComparison m = new MetricComparison(Metric.P99, "ms", "docker@A", "docker@B", Stats.median(a), Stats.median(b),
                            Stats.median(b) / Stats.median(a), i.low(), i.high(), "neither", i.level(), n, n);
                    Verdict.Kind strict = Verdict.of(List.of(m), 0, quiet).getFirst().kind();
                    alarms += strict == Verdict.Kind.WORSE || strict == Verdict.Kind.BETTER ? 1 : 0;
                    Verdict.Kind usual = Verdict.of(List.of(m), Verdict.DEFAULT_THRESHOLD_PERCENT).getFirst().kind();
                    alarmsByDefault += usual == Verdict.Kind.WORSE || usual == Verdict.Kind.BETTER ? 1 : 0;
                }
                double rate = (double) alarms / TRIALS;
                if (rate > 1 - level + TOLERANCE) {
                    misses.add(String.format("%s, n = %d: level %.3f allows %.3f, false alarms %.3f", d.name(), n, level, 1 - level, rate));
                }
                double byDefault = (double) alarmsByDefault / TRIALS;
                if (byDefault > 1 - level + TOLERANCE || byDefault > rate) {
                    misses.add(String.format("%s, n = %d: with the defaults, false alarms %.3f", d.name(), n, byDefault));
                }
            }
        }
        assertThat(misses).as("verdicts that cry wolf more than their level allows").isEmpty();
    }
}
