package org.gallerybench.engine.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/** The statistics the reports use: medians, spread, and bootstrap confidence intervals for ratios. */
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
     * The median of independent samples (rounds, or timed starts) with a 95 % percentile-bootstrap interval; null
     * with fewer than {@link #MIN_SAMPLES} samples, where no interval means anything.
     */
    public static Interval medianInterval(double[] samples) {
        double[] v = clean(samples);
        if (v.length < MIN_SAMPLES) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(20261129L);
        double[] medians = new double[2000];
        double[] r = new double[v.length];
        for (int i = 0; i < medians.length; i++) {
            for (int j = 0; j < v.length; j++) {
                r[j] = v[random.nextInt(v.length)];
            }
            medians[i] = median(r);
        }
        return new Interval(median(v), percentile(medians, 2.5), percentile(medians, 97.5));
    }

    /** A 95 % interval and the point estimate. */
    public record Interval(double estimate, double low, double high) {
        public boolean known() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }

        public boolean contains(double x) {
            return low <= x && x <= high;
        }
    }

    /**
     * The ratio statistic(other) / statistic(base), with a 95 % percentile-bootstrap interval: both samples are
     * resampled with replacement 2,000 times (fixed seed, so a report is reproducible).
     */
    public static Interval bootstrapRatio(double[] base, double[] other, ToDoubleFunction<double[]> statistic) {
        double[] a = clean(base);
        double[] b = clean(other);
        if (a.length == 0 || b.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double estimate = statistic.applyAsDouble(b) / statistic.applyAsDouble(a);
        if (a.length < MIN_SAMPLES || b.length < MIN_SAMPLES) {
            // Too few independent samples for any interval: show the ratio, claim nothing.
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        int resamples = 2000;
        double[] ratios = new double[resamples];
        SplittableRandom random = new SplittableRandom(20261129L);
        double[] ra = new double[a.length];
        double[] rb = new double[b.length];
        int n = 0;
        for (int i = 0; i < resamples; i++) {
            for (int j = 0; j < a.length; j++) {
                ra[j] = a[random.nextInt(a.length)];
            }
            for (int j = 0; j < b.length; j++) {
                rb[j] = b[random.nextInt(b.length)];
            }
            double denominator = statistic.applyAsDouble(ra);
            if (denominator != 0 && !Double.isNaN(denominator)) {
                ratios[n++] = statistic.applyAsDouble(rb) / denominator;
            }
        }
        double[] valid = Arrays.copyOf(ratios, n);
        return new Interval(estimate, percentile(valid, 2.5), percentile(valid, 97.5));
    }

    private static double[] clean(double[] values) {
        return Arrays.stream(values).filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).toArray();
    }
}
