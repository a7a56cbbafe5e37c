package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LatencySummary;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency objective a capacity search holds each step to: a percentile bound ({@code p99<50ms}), and at most
 * {@code errorPercent} of requests failing and {@code missedPercent} of due sends never made.
 *
 * @param percentile   50, 90, 99 or 99.9
 * @param boundMillis  the percentile must stay at or below this
 * @param errorPercent errors above this share of requests fail the step (1 %)
 * @param missedPercent sends due but never made above this share fail the step (1 %)
 */
public record Objective(double percentile, double boundMillis, double errorPercent, double missedPercent) {
    private static final Pattern FORM = Pattern.compile("p(50|90|99|99\\.9|999)\\s*<\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s)?");

    public Objective {
        if (!(boundMillis > 0)) {
            throw new IllegalArgumentException("the objective's bound must be above 0 ms");
        }
        if (!(errorPercent >= 0 && errorPercent < 100) || !(missedPercent >= 0 && missedPercent < 100)) {
            throw new IllegalArgumentException("the error and missed-send limits are percentages from 0 to 100");
        }
    }

    /** p99 < 50 ms, 1 % errors, 1 % missed sends. */
    public static Objective defaults() {
        return new Objective(99, 50, 1, 1);
    }

    /** Parses {@code p99<50ms} (also p50, p90, p99.9; ms or s) with an error limit such as {@code 1%}. */
    public static Objective parse(String text, String errors) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad objective '" + text + "': write it like p99<50ms (p50, p90, p99 or p99.9, in ms or s)");
        }
        double p = m.group(1).equals("999") ? 99.9 : Double.parseDouble(m.group(1));
        double bound = Double.parseDouble(m.group(2)) * ("s".equals(m.group(3)) ? 1000 : 1);
        String e = errors == null ? "1%" : errors.strip();
        double errorPercent;
        try {
            errorPercent = Double.parseDouble(e.endsWith("%") ? e.substring(0, e.length() - 1).strip() : e);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("bad error limit '" + errors + "': write it like 1%");
        }
        return new Objective(p, bound, errorPercent, 1);
    }

    /** "p99 < 50 ms". */
    public String describe() {
        return percentileName() + " < " + trim(boundMillis) + " ms";
    }

    /** "p99", "p99.9". */
    public String percentileName() {
        return "p" + trim(percentile);
    }

    /** The step's figure this objective bounds. */
    public double percentileOf(LatencySummary latency) {
        return switch ((int) Math.round(percentile * 10)) {
            case 500 -> latency.p50Millis();
            case 900 -> latency.p90Millis();
            case 999 -> latency.p999Millis();
            default -> latency.p99Millis();
        };
    }

    /** A figure without a needless ".0": 50, 99.9. */
    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
