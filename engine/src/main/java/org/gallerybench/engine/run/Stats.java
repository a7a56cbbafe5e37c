package org.gallerybench.engine.run;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statistics the reports use: medians, spread, and intervals whose level is known and stated: order statistics for
 * a median, pairwise ratios (Mann-Whitney) for a ratio of two sets of samples. No interval here claims a level it does
 * not have; with few samples it says the lower level it has (3 rounds: 75 % for a median, 90 % for a ratio).
 */
public final class Stats {
    private Stats() {
    }

    public static double median(double[] values) {
        return percentile(values, 50);
    }

    public static double percentile(double[] values, double p) {
        double[] v = clean(values);
        if (v.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(v);
        double rank = p / 100.0 * (v.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }

    public static double mean(double[] values) {
        double[] v = clean(values);
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    public static double max(double[] values) {
        double[] v = clean(values);
        return v.length == 0 ? Double.NaN : Arrays.stream(v).max().orElse(Double.NaN);
    }

    public static double min(double[] values) {
        double[] v = clean(values);
        return v.length == 0 ? Double.NaN : Arrays.stream(v).min().orElse(Double.NaN);
    }

    /** Sample standard deviation. */
    public static double stddev(double[] values) {
        double[] v = clean(values);
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double sum = 0;
        for (double x : v) {
            sum += (x - m) * (x - m);
        }
        return Math.sqrt(sum / (v.length - 1));
    }

    /** Relative standard deviation, in percent. */
    public static double rsdPercent(double[] values) {
        return 100 * stddev(values) / Math.abs(mean(values));
    }

    /** Fewer independent samples than this on a side: no interval. */
    public static final int MIN_SAMPLES = 3;
    /**
     * The level an interval aims at: the narrowest interval the samples allow whose level is at least this, or, when
     * they allow none (few rounds), the widest they allow, with the lower level it really has.
     */
    public static final double TARGET_LEVEL = 0.95;
    /** The level a "better" mark, a verdict and rounds-until-stable need: below it the answer is "unsure". */
    public static final double SURE_LEVEL = 0.90;

    /**
     * The median of independent samples (rounds, or timed starts) with a distribution-free interval from their order
     * statistics: [x(k), x(n+1-k)] covers the true median with probability 1 - 2 P(Bin(n, 1/2) < k), whatever the
     * distribution (continuous). k is the largest whose level reaches {@link #TARGET_LEVEL}, else 1 ([min, max]), with its
     * lower level: 3 rounds give [min, max] at 75 %, 4 at 87.5 %, 5 at 93.8 %, 6 at 96.9 %. Null with fewer than
     * {@link #MIN_SAMPLES} samples.
     */
    public static Interval medianInterval(double[] samples) {
        double[] v = clean(samples);
        if (v.length < MIN_SAMPLES) {
            return null;
        }
        Arrays.sort(v);
        int n = v.length;
        int k = 1;
        while (k + 1 <= n / 2 && medianLevel(n, k + 1) >= TARGET_LEVEL) {
            k++;
        }
        return new Interval(median(v), v[k - 1], v[n - k], medianLevel(n, k));
    }

    /** The level of [x(k), x(n+1-k)] for the median of n samples: 1 - 2 P(Bin(n, 1/2) <= k - 1). */
    public static double medianLevel(int n, int k) {
        double tail = 0;
        double c = 1; // C(n, 0)
        for (int i = 0; i < k; i++) {
            tail += c;
            c = c * (n - i) / (i + 1);
        }
        return 1 - 2 * tail / Math.pow(2, n);
    }

    /** The fewest samples whose median interval ([min, max]) reaches {@code level}: 5 for 90 %. */
    public static int samplesForMedianLevel(double level) {
        int n = MIN_SAMPLES;
        while (medianLevel(n, 1) < level) {
            n++;
        }
        return n;
    }

    /**
     * An interval and the level it has: the probability that intervals made this way cover the true figure (NaN when
     * there is none: too few samples).
     */
    public record Interval(double estimate, double low, double high, double level) {
        public boolean known() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }

        public boolean contains(double x) {
            return low <= x && x <= high;
        }

        /** Known, at a level of at least {@link #SURE_LEVEL}: enough to mark a side or give a verdict. */
        public boolean sure() {
            return known() && level >= SURE_LEVEL - 1e-9;
        }
    }

    /**
     * The ratio median(other) / median(base), with a distribution-free interval for it from the two samples' pairwise
     * ratios (Hodges-Lehmann's interval for a shift, on the log scale, from the Mann-Whitney U distribution): with n
     * and m samples, the k-th smallest and largest of the n·m ratios other_j / base_i bound the ratio with probability
     * 1 - 2 P(U < k), when the two differ by a factor (the same shape of spread, scaled). k is the largest reaching
     * {@link #TARGET_LEVEL}, else 1 (the smallest and largest ratio) at its lower level: 3 rounds a side give 90 %, 2
     * a side 66.7 %. Samples need not be paired, so rounds of two runs compare as rounds of two environments do. No
     * interval (NaN) with fewer than {@link #MIN_SAMPLES} samples on a side, or a base that is not positive.
     */
    public static Interval ratioInterval(double[] base, double[] other) {
        double[] a = clean(base);
        double[] b = clean(other);
        if (a.length == 0 || b.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double estimate = median(b) / median(a);
        if (a.length < MIN_SAMPLES || b.length < MIN_SAMPLES || Arrays.stream(a).anyMatch(x -> x <= 0) || Arrays.stream(b).anyMatch(x -> x < 0)) {
            // Too few independent samples for any interval (or no ratio to speak of): show the ratio, claim nothing.
            return new Interval(estimate, Double.NaN, Double.NaN, Double.NaN);
        }
        int n = a.length;
        int m = b.length;
        double[] ratios = new double[n * m];
        int r = 0;
        for (double x : a) {
            for (double y : b) {
                ratios[r++] = y / x;
            }
        }
        Arrays.sort(ratios);
        int k = 1;
        while (k + 1 <= n * m / 2 && ratioLevel(n, m, k + 1) >= TARGET_LEVEL) {
            k++;
        }
        return new Interval(estimate, ratios[k - 1], ratios[n * m - k], ratioLevel(n, m, k));
    }

    /** The level of the k-th smallest and largest pairwise ratio of n and m samples: 1 - 2 P(U <= k - 1). */
    public static double ratioLevel(int n, int m, int k) {
        return 1 - 2 * mannWhitneyAtMost(n, m, k - 1);
    }

    /** The fewest more samples a side (each side the same number more, as interleaved rounds add) for {@code level}. */
    public static int moreSamplesForRatioLevel(int n, int m, double level) {
        int more = 0;
        while (n + more < MIN_SAMPLES || m + more < MIN_SAMPLES || ratioLevel(n + more, m + more, 1) < level) {
            more++;
        }
        return more;
    }

    /**
     * P(U <= u) for the Mann-Whitney statistic of samples of n and m with no difference between them: exact (the count
     * of arrangements, by the recurrence over the largest observation) for up to 2,500 pairs, else the normal
     * approximation with a continuity correction, which is close at those sizes.
     */
    static double mannWhitneyAtMost(int n, int m, int u) {
        if (u < 0) {
            return 0;
        }
        if ((long) n * m > 2_500) {
            double mean = n * m / 2.0;
            double sd = Math.sqrt(n * (double) m * (n + m + 1) / 12.0);
            return normalCdf((u + 0.5 - mean) / sd);
        }
        double[] cumulative = MANN_WHITNEY.computeIfAbsent(n * 10_000 + m, key -> mannWhitneyCumulative(n, m));
        return u >= cumulative.length ? 1 : cumulative[u];
    }

    /**
     * The lower half of U's distribution, cumulative, for sizes n and m: a pure function of the two sizes, kept once
     * computed (the one cache here: the simulation test asks for the same sizes ten thousand times).
     */
    private static final ConcurrentHashMap<Integer, double[]> MANN_WHITNEY = new ConcurrentHashMap<>();

    private static double[] mannWhitneyCumulative(int n, int m) {
        int top = n * m / 2;
        // row[j][v]: P(U = v) for sizes i and j (v <= top), built row by row over i.
        double[][] previous = new double[m + 1][];
        for (int i = 0; i <= n; i++) {
            double[][] row = new double[m + 1][];
            for (int j = 0; j <= m; j++) {
                double[] p = new double[top + 1];
                if (i == 0 || j == 0) {
                    p[0] = 1;
                } else {
                    // The largest of all i + j values is an x (probability i/(i+j)): it exceeds every y, adding j to U.
                    double px = (double) i / (i + j);
                    for (int v = 0; v <= top; v++) {
                        double fromX = v - j >= 0 ? previous[j][v - j] : 0;
                        p[v] = px * fromX + (1 - px) * row[j - 1][v];
                    }
                }
                row[j] = p;
            }
            previous = row;
        }
        double[] cumulative = new double[top + 1];
        double sum = 0;
        for (int v = 0; v <= top; v++) {
            sum += previous[m][v];
            cumulative[v] = Math.min(1, sum);
        }
        return cumulative;
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26 through erf; error under 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    /** Student's t, the one-sided 95 % quantile for {@code df} degrees of freedom (a table to 30, then 1.645 + 1.5/df). */
    public static double t95(int df) {
        double[] table = {Double.NaN, 6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753,
                1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697};
        if (df < 1) {
            return Double.NaN;
        }
        return df < table.length ? table[df] : 1.645 + 1.5 / df;
    }

    /** "75 %", "93.8 %", "90 %": a level as people read it (NaN: ""). */
    public static String levelText(double level) {
        if (Double.isNaN(level)) {
            return "";
        }
        double p = 100 * level;
        return (Math.abs(p - Math.rint(p)) < 0.05 ? String.format(Locale.ROOT, "%.0f", p)
                : String.format(Locale.ROOT, "%.1f", p)) + " %";
    }

    private static double[] clean(double[] values) {
        return Arrays.stream(values).filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).toArray();
    }
}
