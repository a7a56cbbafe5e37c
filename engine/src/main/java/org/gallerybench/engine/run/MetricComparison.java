package org.gallerybench.engine.run;

import java.util.Locale;

/**
 * One metric of one environment against the baseline.
 *
 * @param metric      the figure compared (its name is what the history stores)
 * @param unit        "ms", "%", "bytes", "req/s"
 * @param baseline    the baseline environment's id
 * @param other       the compared environment's id
 * @param baseValue   the baseline's figure
 * @param otherValue  the other's figure
 * @param ratio       other / baseline
 * @param ciLow       the ratio's interval, from both sides' samples ({@link Stats#ratioInterval}); NaN with too few
 * @param ciHigh      ...
 * @param better      the id of the better side, or "neither" when the interval includes 1 or is less sure than
 *                    {@link Stats#SURE_LEVEL}
 * @param level       the interval's level, as it really is (0.9 for 3 rounds a side); NaN without an interval
 * @param baseSamples  the baseline's samples (rounds, or timed starts)
 * @param otherSamples the other side's
 */
public record MetricComparison(Metric metric, String unit, String baseline, String other, double baseValue, double otherValue, double ratio,
                               double ciLow, double ciHigh, String better, double level, int baseSamples, int otherSamples) {
    /** The rounds (or timed starts) more a side that would make its interval sure enough to mark a side: 0 when it is. */
    public int moreSamplesToBeSure() {
        return sure() ? 0 : Stats.moreSamplesForRatioLevel(baseSamples, otherSamples, Stats.SURE_LEVEL);
    }

    /** "[0.45, 0.55] 90 %": the interval with its level, as every report and cell shows it; empty without one. */
    public String intervalText() {
        return Double.isNaN(ciLow) ? "" : "[" + bound(ciLow) + ", " + bound(ciHigh) + "] " + Stats.levelText(level);
    }

    private static String bound(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.2f", r);
    }

    /** Known, at a level of at least {@link Stats#SURE_LEVEL}. */
    public boolean sure() {
        return !Double.isNaN(ciLow) && level >= Stats.SURE_LEVEL - 1e-9;
    }
}
