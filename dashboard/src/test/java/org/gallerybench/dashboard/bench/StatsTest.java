package org.gallerybench.dashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    void aRatioIntervalExcludesOneOnlyWhenTheDifferenceIsReal() {
        double[] a = {100, 102, 98, 101, 99, 100, 103, 97};
        double[] twice = {200, 204, 196, 202, 198, 200, 206, 194};
        Stats.Interval clear = Stats.bootstrapRatio(a, twice, Stats::median);
        assertThat(clear.estimate()).isCloseTo(2.0, within(0.02));
        assertThat(clear.low()).isGreaterThan(1.9);
        assertThat(clear.high()).isLessThan(2.1);

        double[] same = {101, 99, 100, 102, 98, 100, 97, 103};
        assertThat(Stats.bootstrapRatio(a, same, Stats::median).contains(1.0)).isTrue();
    }
}
