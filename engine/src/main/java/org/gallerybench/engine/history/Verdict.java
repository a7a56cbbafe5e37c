package org.gallerybench.engine.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.Stats;
import org.gallerybench.engine.report.Fmt;

/**
 * One figure of one environment in a run against the same figure in a baseline run, with a verdict, as criterion gives
 * one: the change B/A − 1 with its interval from both runs' rounds and the level that interval has
 * ({@link Stats#ratioInterval}), and
 * <ul>
 *   <li><b>worse</b> or <b>better</b> when the whole interval lies beyond the allowance in one direction: the change is
 *       real (at {@link Stats#SURE_LEVEL} or more) and larger than two runs of the same build here differ by
 *       ({@link RunToRunNoise}; ±50 % while that is not known), or than the noise threshold (5 % unless said) if that
 *       is larger;</li>
 *   <li><b>within noise</b> otherwise;</li>
 *   <li><b>unsure</b> when the interval is missing (fewer than 3 rounds on a side) or less sure than
 *       {@link Stats#SURE_LEVEL}: then {@code moreRounds} more rounds a side would settle it.</li>
 * </ul>
 *
 * @param change           the relative change B/A − 1 (0.18 = 18 % higher); low and high its interval
 * @param level            the interval's level (0.9 for 3 rounds a side); NaN without one
 * @param allowancePercent the change the verdict allows for, in percent: the larger of the threshold and the run-to-run
 *                         noise of this figure here
 * @param noiseKnown       whether that noise was learned from the history (else the conservative allowance)
 * @param moreRounds       for an unsure verdict, the rounds a side that would make the interval sure enough; else 0
 */
public record Verdict(String environment, Metric metric, String unit, double a, double b, double change, double low, double high,
                      double level, Kind kind, double thresholdPercent, double allowancePercent, boolean noiseKnown, int moreRounds) {
    public enum Kind { BETTER, WORSE, WITHIN_NOISE, UNSURE }

    /** The default noise threshold, in percent. */
    public static final double DEFAULT_THRESHOLD_PERCENT = 5;

    /** Verdicts for the rows of {@link RunHistory#compare} (their baseline and other are "env@A" and "env@B"), with no history. */
    public static List<Verdict> of(List<MetricComparison> rows, double thresholdPercent) {
        return of(rows, thresholdPercent, RunToRunNoise.none());
    }

    /** Verdicts that allow for how much whole runs differ here, figure by figure ({@code noise}). */
    public static List<Verdict> of(List<MetricComparison> rows, double thresholdPercent, RunToRunNoise noise) {
        List<Verdict> out = new ArrayList<>();
        for (MetricComparison m : rows) {
            String env = m.baseline().replaceFirst("@.*", "");
            double change = m.ratio() - 1;
            double low = m.ciLow() - 1;
            double high = m.ciHigh() - 1;
            double allowance = Math.max(thresholdPercent / 100, noise.allowance(env, m.metric()));
            Kind kind;
            int more = 0;
            if (Double.isNaN(low) || Double.isNaN(high) || Double.isNaN(change) || !m.sure()) {
                kind = Kind.UNSURE;
                more = m.moreSamplesToBeSure();
            } else if (low > allowance || high < 1 / (1 + allowance) - 1) {
                // The whole interval beyond what noise explains, upward or (by the same factor) downward.
                boolean higher = change > 0;
                kind = higher == m.metric().higherIsBetter() ? Kind.BETTER : Kind.WORSE;
            } else {
                kind = Kind.WITHIN_NOISE;
            }
            out.add(new Verdict(env, m.metric(), m.unit(), m.baseValue(), m.otherValue(), change, low, high, m.level(), kind, thresholdPercent,
                    100 * allowance, noise.known(), more));
        }
        return List.copyOf(out);
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, p == Math.rint(p) ? "%.0f" : "%.1f", p);
    }

    /** "worse", "better", "within noise", "unsure". */
    public String word() {
        return switch (kind) {
            case BETTER -> "better";
            case WORSE -> "worse";
            case WITHIN_NOISE -> "within noise";
            case UNSURE -> "unsure";
        };
    }

    /** "+18.0 % [+12.1 %, +24.3 %] 90 %" (the change of the figure itself: for throughput a fall is negative). */
    public String changeText() {
        if (Double.isNaN(low)) {
            return String.format(Locale.ROOT, "%+.1f %% (no interval: fewer than 3 rounds on a side)", 100 * change);
        }
        return String.format(Locale.ROOT, "%+.1f %% [%+.1f %%, %+.1f %%] %s", 100 * change, 100 * low, 100 * high, Stats.levelText(level));
    }

    /** Why it is within noise or beyond it: "±5 %", "±12 %: run-to-run noise here", "±50 %: noise here not known yet". */
    public String allowanceText() {
        String value = "±" + percent(Math.round(allowancePercent * 10) / 10.0) + " %";
        if (allowancePercent <= thresholdPercent + 1e-9) {
            return value;
        }
        return value + (noiseKnown ? ": run-to-run noise here" : ": noise here not known yet");
    }

    /**
     * One line: "docker p99: 12.0 ms → 14.2 ms, +18.0 % [+12.1 %, +24.3 %] 90 %: worse, beyond noise (±5 %)"; an unsure
     * one says how sure it is and what would settle it.
     */
    public String describe() {
        String tail = switch (kind) {
            case BETTER, WORSE -> word() + ", beyond noise (" + allowanceText() + ")";
            case WITHIN_NOISE -> "within noise (" + allowanceText() + ")";
            case UNSURE -> Double.isNaN(low) ? "unsure: " + moreRounds + " more round" + (moreRounds == 1 ? "" : "s") + " a side would settle it"
                    : "unsure (only " + Stats.levelText(level) + " sure): " + moreRounds + " more round" + (moreRounds == 1 ? "" : "s")
                    + " a side would settle it";
        };
        return environment + " " + metric + ": " + Fmt.value(a, unit) + " → " + Fmt.value(b, unit) + ", " + changeText() + ": " + tail;
    }
}
