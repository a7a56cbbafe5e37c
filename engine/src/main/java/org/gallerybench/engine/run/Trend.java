package org.gallerybench.engine.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;


/**
 * One figure of one environment across the runs kept here, oldest first: each run's median with its interval (from its
 * rounds, or its timed starts) and the level that interval has, its build, so that a drift is seen, not guessed. Only completed runs that measured
 * the environment count, and only those of one app.
 */
public record Trend(String environment, Metric metric, String unit, String app, List<Point> points) {

    /** One run's figure: low and high are NaN with fewer than 3 samples; level is what the interval has (0.75 with 3 rounds). */
    public record Point(String runId, Instant startedAt, String build, double value, double low, double high, double level, int samples) {
        public boolean hasInterval() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    public Trend {
        points = List.copyOf(points);
    }

    /**
     * The last {@code last} runs' figure (metric as the comparison names it: "p99", "requests/s", "startup", ...).
     *
     * @param newestFirst the runs kept, newest first (the history's order), read one by one as needed
     * @param app the app's name, or null for the app of the latest run that measured the environment (two apps' figures
     *            on one line would be a drift of nothing)
     */
    public static Trend of(Iterable<RunResult> newestFirst, String environment, Metric metric, int last, String app) {
        String unit = metric.unit();
        List<Point> points = new ArrayList<>();
        for (RunResult run : newestFirst) {
            if (points.size() >= last) {
                break;
            }
            if (run.status() != RunResult.Status.COMPLETED) {
                continue;
            }
            EnvironmentResult e = run.environment(environment).filter(EnvironmentResult::measured).orElse(null);
            if (e == null || (app != null && !app.equals(run.app()))) {
                continue;
            }
            app = run.app();
            double[] samples = metric.samples(e);
            double value = Stats.median(samples);
            if (Double.isNaN(value)) {
                continue;
            }
            Stats.Interval interval = Stats.medianInterval(samples);
            points.add(new Point(run.id(), run.startedAt(), run.build(), value, interval == null ? Double.NaN : interval.low(),
                    interval == null ? Double.NaN : interval.high(), interval == null ? Double.NaN : interval.level(), samples.length));
        }
        return new Trend(environment, metric, unit, app, points.reversed());
    }
}
