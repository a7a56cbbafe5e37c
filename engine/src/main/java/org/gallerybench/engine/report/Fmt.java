package org.gallerybench.engine.report;

import java.util.Locale;

/** Numbers for people: fixed units, sensible precision, "–" for what was not measured. */
public final class Fmt {
    public static final String NONE = "–";

    private Fmt() {
    }

    public static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return NONE;
        }
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
    }

    public static String mib(double bytes) {
        return Double.isNaN(bytes) || bytes < 0 ? NONE : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024 * 1024));
    }

    public static String percent(double p) {
        return Double.isNaN(p) ? NONE : String.format(Locale.ROOT, "%.1f %%", p);
    }

    public static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? NONE : String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    public static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return NONE;
        }
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    /** A figure in the unit a comparison names: "ms", "bytes", "%", "us" (host CPU per request), or a rate. */
    public static String value(double v, String unit) {
        return switch (unit) {
            case "ms" -> millis(v);
            case "bytes" -> mib(v);
            case "%" -> percent(v);
            case "us" -> String.format(Locale.ROOT, "%,.0f µs", v);
            default -> rate(v);
        };
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
