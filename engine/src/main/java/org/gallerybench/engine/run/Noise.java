package org.gallerybench.engine.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * How sure a figure is, from its independent samples (an environment's rounds, or its timed starts): the coefficient of
 * variation, and what the samples look like when they should not be trusted as they are. Four findings, each said in
 * plain words with the figure and the rounds:
 * <ul>
 *   <li>an outlier: a round far from the others, by the median absolute deviation (modified z-score above 3.5, as
 *       Iglewicz and Hoaglin have it; the mean absolute deviation when the MAD is 0), and at least 10 % from the median
 *       (rounds 2 % apart are not worth a warning, however tight the others);</li>
 *   <li>a slow first round: the first is the worst of all and more than 15 % worse than the median of the rest (the
 *       warm-up was too short, or something else started with it); said instead of calling it an outlier;</li>
 *   <li>two groups: sorted, the rounds split at one gap more than three times the spread within either side, both sides
 *       of two or more (the machine changed its mind half-way: another tenant, a frequency step);</li>
 *   <li>noisy: none of those, but a coefficient of variation over 10 %.</li>
 * </ul>
 * Computed from what a run result already holds, so runs in the history get it too.
 */
public record Noise(String figure, int samples, double cvPercent, List<String> findings) {
    /** Modified z-score past which a sample is an outlier (Iglewicz and Hoaglin; hyperfine uses the same). */
    static final double OUTLIER_Z = 3.5;
    static final double OUTLIER_MIN_RELATIVE = 0.10;
    static final double SLOW_FIRST_RELATIVE = 0.15;
    static final double NOISY_CV_PERCENT = 10;

    public Noise {
        findings = List.copyOf(findings);
    }

    /** Nothing to say beyond the CV. */
    public boolean quiet() {
        return findings.isEmpty();
    }

    /** "CV 3.1 %" (empty with fewer than 2 samples). */
    public String cv() {
        return Double.isNaN(cvPercent) ? "" : String.format(Locale.ROOT, "CV %.1f %%", cvPercent);
    }

    /**
     * @param figure         the figure's name for people ("p99", "requests/s", "startup")
     * @param values         its samples, in the order they were taken
     * @param higherIsBetter true for throughput, false for times
     * @param format         how a sample is written ("312 ms")
     * @param what           what a sample is called ("round", "start")
     */
    public static Noise of(String figure, double[] values, boolean higherIsBetter, DoubleFunction<String> format, String what) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x) && !Double.isInfinite(x)).toArray();
        int n = v.length;
        double cv = n >= 2 && Stats.mean(v) != 0 ? Stats.rsdPercent(v) : Double.NaN;
        List<String> findings = new ArrayList<>();
        if (n >= 3) {
            slowFirst(figure, v, higherIsBetter, format, what, findings);
            outliers(figure, v, findings.isEmpty() ? 0 : 1, format, what, findings);
            if (findings.isEmpty() && n >= 4) {
                twoGroups(figure, v, format, what, findings);
            }
            if (findings.isEmpty() && cv > NOISY_CV_PERCENT) {
                findings.add(String.format(Locale.ROOT, "%s varies by %.0f %% (CV) over %d %ss (%s): more %ss would narrow it", figure, cv, n,
                        what, list(v, format), what));
            }
        }
        return new Noise(figure, n, cv, findings);
    }

    /** The noise of a figure of an environment: its rounds, or its timed starts for startup and restart. */
    public static Noise of(Metric metric, EnvironmentResult e) {
        return of(metric.id(), metric.samples(e), metric.higherIsBetter(), metric.sampleFormat(), metric.sampleName());
    }

    private static void outliers(String figure, double[] v, int from, DoubleFunction<String> format, String what, List<String> findings) {
        double median = Stats.median(v);
        double[] deviations = Arrays.stream(v).map(x -> Math.abs(x - median)).toArray();
        double mad = Stats.median(deviations);
        double scale = mad > 0 ? mad / 0.6745 : 1.253314 * Stats.mean(deviations);
        if (!(scale > 0)) {
            return;
        }
        for (int i = from; i < v.length; i++) {
            double z = (v[i] - median) / scale;
            if (Math.abs(z) > OUTLIER_Z && Math.abs(v[i] - median) > OUTLIER_MIN_RELATIVE * Math.abs(median)) {
                findings.add(String.format(Locale.ROOT, "%s: %s %d of %d (%s) is an outlier against the median %s: something else ran then,"
                        + " or the machine changed; look at that %s, or run again", figure, what, i + 1, v.length, format.apply(v[i]),
                        format.apply(median), what));
            }
        }
    }

    private static void slowFirst(String figure, double[] v, boolean higherIsBetter, DoubleFunction<String> format, String what,
                                  List<String> findings) {
        double first = v[0];
        double[] rest = Arrays.copyOfRange(v, 1, v.length);
        double restMedian = Stats.median(rest);
        boolean worstOfAll = higherIsBetter ? first < Stats.min(rest) : first > Stats.max(rest);
        double worse = higherIsBetter ? (restMedian - first) / restMedian : (first - restMedian) / restMedian;
        if (worstOfAll && worse > SLOW_FIRST_RELATIVE) {
            findings.add(String.format(Locale.ROOT, "%s: the first %s (%s) is %.0f %% worse than the rest (median %s): the warm-up was too short"
                    + " for it; a longer --warmup leaves it out", figure, what, format.apply(first), 100 * worse, format.apply(restMedian)));
        }
    }

    private static void twoGroups(String figure, double[] v, DoubleFunction<String> format, String what, List<String> findings) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int split = -1;
        double gap = 0;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] - sorted[i - 1] > gap) {
                gap = sorted[i] - sorted[i - 1];
                split = i;
            }
        }
        if (split < 2 || sorted.length - split < 2) {
            return;
        }
        double spread = Math.max(sorted[split - 1] - sorted[0], sorted[sorted.length - 1] - sorted[split]);
        double median = Stats.median(v);
        if (gap > 3 * spread && gap > OUTLIER_MIN_RELATIVE * Math.abs(median)) {
            findings.add(String.format(Locale.ROOT, "%s: the %ss fall in two groups, %d around %s and %d around %s: the machine was not the same"
                            + " throughout (another load, a frequency change); the median hides it", figure, what, split,
                    format.apply(Stats.median(Arrays.copyOfRange(sorted, 0, split))), sorted.length - split,
                    format.apply(Stats.median(Arrays.copyOfRange(sorted, split, sorted.length)))));
        }
    }

    private static String list(double[] v, DoubleFunction<String> format) {
        return String.join(", ", Arrays.stream(v).mapToObj(format).toList());
    }
}
