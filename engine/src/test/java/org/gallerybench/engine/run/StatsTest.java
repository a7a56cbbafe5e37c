package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LatencySummary;
import org.gallerybench.engine.load.LoadResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianPercentileAndSpread() {
        double[] v = {5, 1, 3, 2, 4};
        assertThat(Stats.median(v)).isEqualTo(3.0);
        assertThat(Stats.percentile(v, 100)).isEqualTo(5.0);
        assertThat(Stats.mean(v)).isEqualTo(3.0);
        assertThat(Stats.stddev(v)).isCloseTo(1.5811, within(1e-3));
        assertThat(Stats.rsdPercent(v)).isCloseTo(52.7, within(0.1));
        assertThat(Stats.median(new double[] {Double.NaN, 1, 3})).isEqualTo(2.0);
    }

    @Test
    void aRatioIntervalExcludesOneOnlyWhenTheDifferenceIsRealAndSaysItsLevel() {
        double[] a = {100, 102, 98, 101, 99, 100, 103, 97};
        double[] twice = {200, 204, 196, 202, 198, 200, 206, 194};
        Stats.Interval clear = Stats.ratioInterval(a, twice);
        assertThat(clear.estimate()).isCloseTo(2.0, within(0.02));
        assertThat(clear.low()).isGreaterThan(1.9);
        assertThat(clear.high()).isLessThan(2.1);
        assertThat(clear.level()).isBetween(Stats.TARGET_LEVEL, 0.99);

        double[] same = {101, 99, 100, 102, 98, 100, 97, 103};
        assertThat(Stats.ratioInterval(a, same).contains(1.0)).isTrue();
    }

    /**
     * The levels are those of the order statistics, stated as they are: 3 rounds give a median [min, max] at 75 % (the
     * issue's own example: 3,430, 2,973 and 2,747 req/s), 5 at 93.75 %; 3 rounds a side give a ratio 90 %, 2 a side 66.7 %.
     */
    @Test
    void eachIntervalStatesTheLevelItHas() {
        Stats.Interval three = Stats.medianInterval(new double[] {3430, 2973, 2747});
        assertThat(three.estimate()).isEqualTo(2973.0);
        assertThat(three.low()).isEqualTo(2747.0);
        assertThat(three.high()).isEqualTo(3430.0);
        assertThat(three.level()).isCloseTo(0.75, within(1e-12));
        assertThat(three.sure()).isFalse();
        assertThat(Stats.levelText(three.level())).isEqualTo("75 %");
        assertThat(Stats.medianInterval(new double[] {5, 1, 4, 2, 3}).level()).isCloseTo(0.9375, within(1e-12));
        assertThat(Stats.levelText(0.9375)).isEqualTo("93.8 %");
        assertThat(Stats.samplesForMedianLevel(Stats.SURE_LEVEL)).isEqualTo(5);
        // 10 samples: the narrowest order-statistic interval at 95 % or more is [x(2), x(9)] at 97.85 %.
        Stats.Interval ten = Stats.medianInterval(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThat(ten.low()).isEqualTo(2.0);
        assertThat(ten.high()).isEqualTo(9.0);
        assertThat(ten.level()).isCloseTo(1 - 2 * 11 / 1024.0, within(1e-12));

        assertThat(Stats.ratioLevel(3, 3, 1)).isCloseTo(0.9, within(1e-12));
        assertThat(Stats.ratioLevel(2, 2, 1)).isCloseTo(1 - 2 / 6.0, within(1e-12));
        assertThat(Stats.ratioLevel(5, 5, 3)).isCloseTo(1 - 2 * 4 / 252.0, within(1e-12)); // P(U <= 2) = (1 + 1 + 2) / 252
        assertThat(Stats.moreSamplesForRatioLevel(2, 2, Stats.SURE_LEVEL)).isEqualTo(1);
        assertThat(Stats.moreSamplesForRatioLevel(1, 3, Stats.SURE_LEVEL)).isEqualTo(2);
        // The exact distribution and the normal approximation agree where they meet.
        assertThat(Stats.mannWhitneyAtMost(50, 50, 1000)).isCloseTo(Stats.normalCdf((1000 + 0.5 - 1250) / Math.sqrt(50 * 50 * 101 / 12.0)),
                within(0.003));
    }

    @Test
    void oneOrTwoSamplesGiveNoIntervalAndNoMark() {
        for (int n : new int[] {1, 2}) {
            EnvironmentResult a = withRounds("local", n, 1000);
            EnvironmentResult b = withRounds("docker", n, 3000);
            assertThat(Stats.medianInterval(new double[n])).as("n = %d", n).isNull();
            List<MetricComparison> c = Comparisons.compute("local", List.of(a, b));
            MetricComparison rps = c.stream().filter(m -> m.metric() == Metric.REQUESTS_PER_SECOND).findFirst().orElseThrow();
            assertThat(rps.ratio()).as("the ratio is still shown").isCloseTo(3.0, within(0.01));
            assertThat(rps.ciLow()).isNaN();
            assertThat(rps.better()).isEqualTo("neither");
            assertThat(Comparisons.best(List.of(a, b))).as("n = %d", n).isEmpty();
            assertThat(a.summary().intervals()).isEmpty();
        }
    }

    @Test
    void theFigureIsTheMedianOverRoundsAndItsIntervalComesFromTheRounds() {
        EnvironmentResult local = withRounds("local", 5, 1000, 1100, 900, 1050, 950);
        assertThat(local.summary().requestsPerSecond()).isEqualTo(1000.0);
        Stats.Interval i = local.summary().intervals().get("requests/s");
        assertThat(i.estimate()).isEqualTo(1000.0);
        assertThat(i.low()).isBetween(900.0, 1000.0);
        assertThat(i.high()).isBetween(1000.0, 1100.0);

        EnvironmentResult docker = withRounds("docker", 5, 2000, 2100, 1900, 2050, 1950);
        MetricComparison rps = Comparisons.compute("local", List.of(local, docker)).stream()
                .filter(m -> m.metric() == Metric.REQUESTS_PER_SECOND).findFirst().orElseThrow();
        // The ratio shown and its interval describe the same statistic: the ratio of the medians over rounds.
        assertThat(rps.ratio()).isEqualTo(docker.summary().requestsPerSecond() / local.summary().requestsPerSecond());
        assertThat(rps.ciLow()).isLessThanOrEqualTo(rps.ratio());
        assertThat(rps.ciHigh()).isGreaterThanOrEqualTo(rps.ratio());
        assertThat(rps.better()).isEqualTo("docker");
    }

    @Test
    void figuresWhoseDefinitionDiffersAreNeverRanked() {
        EnvironmentResult local = withRounds("local", 5, 1000, 1100, 900, 1050, 950);
        EnvironmentResult docker = withRounds("docker", 5, 2000, 2100, 1900, 2050, 1950);
        List<MetricComparison> c = Comparisons.compute("local", List.of(local, docker));
        assertThat(c).extracting(MetricComparison::metric).contains(Metric.REQUESTS_PER_SECOND, Metric.P99, Metric.APP_MEMORY, Metric.HOST_CPU,
                Metric.HOST_MEMORY).doesNotContain(Metric.CPU, Metric.ENVIRONMENT_MEMORY);
        assertThat(Comparisons.best(List.of(local, docker))).doesNotContainKeys("cpu", "environment memory");
    }

    @Test
    void bestAmongThreeNeedsIntervalsThatExcludeEveryOtherSide() {
        EnvironmentResult local = withRounds("local", 3, 1000, 1010, 990);
        EnvironmentResult docker = withRounds("docker", 3, 2000, 2020, 1980);
        EnvironmentResult vm = withRounds("vm", 3, 1990, 2030, 1985);
        // docker beats the baseline clearly, but not the VM: nobody is best.
        List<MetricComparison> vsBaseline = Comparisons.compute("local", List.of(local, docker, vm));
        assertThat(vsBaseline).filteredOn(m -> m.metric() == Metric.REQUESTS_PER_SECOND).extracting(MetricComparison::better)
                .containsExactly("docker", "vm");
        assertThat(Comparisons.best(List.of(local, docker, vm))).doesNotContainKey("requests/s");

        EnvironmentResult slowVm = withRounds("vm", 3, 100, 110, 90);
        assertThat(Comparisons.best(List.of(local, docker, slowVm))).containsEntry("requests/s", "docker");
    }

    /** An environment result whose rounds served the given rates (other figures fixed). */
    static EnvironmentResult withRounds(String id, int n, double... rates) {
        List<RoundFigures> rounds = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double rate = rates[Math.min(i, rates.length - 1)];
            rounds.add(new RoundFigures(i + 1, 5, rate, 2, 4, 5, (long) (rate * 5), 0, 0, 0, 50, 80e6, 80e6, 50, 80e6, 1, 2));
        }
        LoadResult load = new LoadResult(java.time.Instant.EPOCH, 5.0 * n, 100, 100, Map.of(), Map.of(), Map.of(200, 100L), LatencySummary.empty(),
                Map.of(), rates[0], List.of(), 0, 10, 5, 1, null, List.of());
        return new EnvironmentResult(id, id, "http://127.0.0.1/", List.of(), List.of(), load, rounds,
                Summaries.of(List.of(), List.of(), load, rounds), null, "loopback, no boundary");
    }
}
