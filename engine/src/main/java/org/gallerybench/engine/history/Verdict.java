package org.gallerybench.engine.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.bench.Comparisons;
import org.gallerybench.engine.bench.MetricComparison;
import org.gallerybench.engine.report.Fmt;

/**
 * One figure of one environment in a run against the same figure in a baseline run, with a verdict, as criterion gives
 * one: the change B/A − 1 with its 95 % interval (a bootstrap over both runs' rounds), and
 * <ul>
 *   <li><b>worse</b> or <b>better</b> when the interval excludes no change and the change is past the noise
 *       threshold (5 % unless said) in that direction;</li>
 *   <li><b>within noise</b> otherwise: the interval includes no change, or the change is smaller than the threshold;</li>
 *   <li><b>unsure</b> when a side has fewer than 3 rounds (or timed starts): no interval, no verdict.</li>
 * </ul>
 *
 * @param change the relative change B/A − 1 (0.18 = 18 % higher); low and high its 95 % interval
 */
public record Verdict(String environment, String metric, String unit, double a, double b, double change, double low, double high,
                      Kind kind, double thresholdPercent) {
    public enum Kind { BETTER, WORSE, WITHIN_NOISE, UNSURE }

    /** The default noise threshold, in percent. */
    public static final double DEFAULT_THRESHOLD_PERCENT = 5;

    /** Verdicts for the rows of {@link RunHistory#compare} (their baseline and other are "env@A" and "env@B"). */
    public static List<Verdict> of(List<MetricComparison> rows, double thresholdPercent) {
        List<Verdict> out = new ArrayList<>();
        for (MetricComparison m : rows) {
            String env = m.baseline().replaceFirst("@.*", "");
            double change = m.ratio() - 1;
            double low = m.ciLow() - 1;
            double high = m.ciHigh() - 1;
            Kind kind;
            if (Double.isNaN(low) || Double.isNaN(high) || Double.isNaN(change)) {
                kind = Kind.UNSURE;
            } else if ((low > 0 || high < 0) && Math.abs(change) * 100 > thresholdPercent) {
                boolean higher = change > 0;
                kind = higher == Comparisons.higherIsBetter(m.metric()) ? Kind.BETTER : Kind.WORSE;
            } else {
                kind = Kind.WITHIN_NOISE;
            }
            out.add(new Verdict(env, m.metric(), m.unit(), m.baseValue(), m.otherValue(), change, low, high, kind, thresholdPercent));
        }
        return List.copyOf(out);
    }

    private String threshold() {
        return String.format(Locale.ROOT, thresholdPercent == Math.rint(thresholdPercent) ? "%.0f" : "%.1f", thresholdPercent);
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

    /** "+18.0 % [+12.1 %, +24.3 %]" (the change of the figure itself: for throughput a fall is negative). */
    public String changeText() {
        if (Double.isNaN(low)) {
            return String.format(Locale.ROOT, "%+.1f %% (no interval: fewer than 3 rounds on a side)", 100 * change);
        }
        return String.format(Locale.ROOT, "%+.1f %% [%+.1f %%, %+.1f %%]", 100 * change, 100 * low, 100 * high);
    }

    /** One line: "docker p99: 12.0 ms → 14.2 ms, +18.0 % [+12.1 %, +24.3 %]: worse, beyond noise (5 %)". */
    public String describe() {
        String tail = switch (kind) {
            case BETTER, WORSE -> word() + ", beyond noise (" + threshold() + " %)";
            case WITHIN_NOISE -> "within noise (" + threshold() + " %)";
            case UNSURE -> "unsure";
        };
        return environment + " " + metric + ": " + Fmt.value(a, unit) + " → " + Fmt.value(b, unit) + ", " + changeText() + ": " + tail;
    }
}
