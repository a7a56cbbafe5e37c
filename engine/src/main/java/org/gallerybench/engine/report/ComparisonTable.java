package org.gallerybench.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.Summary;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.gallerybench.engine.run.Fingerprint;
import org.gallerybench.engine.run.Noise;
import org.gallerybench.engine.run.Stats;

/**
 * The comparison table, as data: one row per metric, one cell per environment, the better value marked and the
 * ratio to the baseline shown. The Markdown and HTML reports and the dashboard all render this one table.
 */
public final class ComparisonTable {

    /** A row: the metric, its explanation, and one cell per environment in run order. */
    public record Row(String metric, String note, List<Cell> cells) {
    }

    /**
     * One environment's value.
     *
     * @param text   the formatted value
     * @param ratio  against the baseline, formatted, or empty for the baseline itself
     * @param best   true for the side better than every other, with intervals (at 90 % or more) that exclude 1 against each
     * @param cv     the coefficient of variation over its rounds (or timed starts), "CV 3.1 %", or empty
     * @param noise  what makes the figure less sure than its interval says (an outlier, a slow first round, two groups,
     *               a wide spread), in plain words; empty when nothing does
     * @param sure   how sure the figure and its ratio are, in words, for a tooltip: the figure's own interval with its
     *               level ("2,973/s [2,747/s, 3,430/s] 75 % (3 rounds)"), and why no side is marked when its ratio's
     *               level is too low ("unsure: 2 more rounds would settle it"); empty for a figure without samples
     */
    public record Cell(String environment, String text, String ratio, boolean best, String cv, String noise, String sure) {
        public Cell(String environment, String text, String ratio, boolean best) {
            this(environment, text, ratio, best, "", "", "");
        }

        public Cell(String environment, String text, String ratio, boolean best, String cv, String noise) {
            this(environment, text, ratio, best, cv, noise, "");
        }

        public boolean noisy() {
            return !noise.isEmpty();
        }
    }

    private record Spec(String metric, String note, Metric comparisonKey, Function<Summary, String> text, ToDoubleFunction<Summary> value) {
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("Startup (median)", "cold start: stopped to the first HTTP 200", Metric.STARTUP,
                    s -> Fmt.millis(s.startupMedianMillis()), Summary::startupMedianMillis),
            new Spec("Startup min – max", "", null,
                    s -> Fmt.millis(s.startupMinMillis()) + " – " + Fmt.millis(s.startupMaxMillis()), Summary::startupMinMillis),
            new Spec("Restart (median)", "serving to stopped to the first HTTP 200", Metric.RESTART,
                    s -> Fmt.millis(s.restartMedianMillis()), Summary::restartMedianMillis),
            new Spec("CPU mean", "as each environment sees itself (not comparable: see host CPU); 100 % = one core", null,
                    s -> Fmt.percent(s.cpuMeanPercent()), Summary::cpuMeanPercent),
            new Spec("CPU peak", "", null, s -> Fmt.percent(s.cpuPeakPercent()), Summary::cpuPeakPercent),
            new Spec("App memory mean", "the server's own RSS", Metric.APP_MEMORY, s -> Fmt.mib(s.appMemoryMeanBytes()), Summary::appMemoryMeanBytes),
            new Spec("App memory peak", "", null, s -> Fmt.mib(s.appMemoryPeakBytes()), Summary::appMemoryPeakBytes),
            new Spec("Environment memory mean", "local: RSS · docker: cgroup · VM: guest used (not comparable)", null,
                    s -> Fmt.mib(s.environmentMemoryMeanBytes()), Summary::environmentMemoryMeanBytes),
            new Spec("Environment memory peak", "", null, s -> Fmt.mib(s.environmentMemoryPeakBytes()), Summary::environmentMemoryPeakBytes),
            new Spec("Host memory mean", "what this machine pays: the process · container + docker-proxy + shim · QEMU", Metric.HOST_MEMORY,
                    s -> Fmt.mib(s.hostMemoryMeanBytes()), Summary::hostMemoryMeanBytes),
            new Spec("Host CPU mean", "what this machine pays: the process · container + docker-proxy + shim · QEMU", Metric.HOST_CPU,
                    s -> Fmt.percent(s.hostCpuMeanPercent()), Summary::hostCpuMeanPercent),
            new Spec("Requests/s", "successful answers per second", Metric.REQUESTS_PER_SECOND, s -> Fmt.rate(s.requestsPerSecond()), Summary::requestsPerSecond),
            new Spec("Latency p50", "", Metric.P50, s -> Fmt.millis(s.p50Millis()), Summary::p50Millis),
            new Spec("Latency p95", "", Metric.P95, s -> Fmt.millis(s.p95Millis()), Summary::p95Millis),
            new Spec("Latency p99", "", Metric.P99, s -> Fmt.millis(s.p99Millis()), Summary::p99Millis),
            new Spec("Timeouts", "no complete answer before the deadline: errors, not in the percentiles", null,
                    s -> Fmt.count(s.timeouts()), s -> (double) s.timeouts()),
            new Spec("Errors", "connect, timeout, reset, non-2xx, ...", null, s -> Fmt.count(s.errors()) + " of " + Fmt.count(s.requests())
                    + (s.missed() > 0 ? " · " + Fmt.count(s.missed()) + " sends missed" : ""), s -> (double) s.errors()),
            new Spec("Rounds", "independent samples of the load figures; 3 or more give intervals", null,
                    s -> Integer.toString(s.rounds()), s -> s.rounds()));

    private ComparisonTable() {
    }

    /** One header per environment; a VM that ran under emulation says so in its name, wherever its figures appear. */
    public static List<String> headers(RunResult run) {
        List<String> out = new ArrayList<>();
        for (EnvironmentResult e : run.environments()) {
            out.add(run.emulated(e.environment())
                    ? e.displayName() + " (" + Fingerprint.EMULATION_WARNING + ")" : e.displayName());
        }
        return out;
    }

    /** The machine in one line, for the dashboard. */
    public static String machine(RunResult run) {
        return run.machine() == null ? "" : Fingerprint.lines(run.machine()).stream()
                .map(l -> l.getKey() + ": " + l.getValue()).collect(Collectors.joining("  ·  "));
    }

    /**
     * What the noisy cells say, one line each ("Docker container: p99: round 2 of 3 (312 ms) is an outlier ..."): the
     * reports' "Noise" section. Not among the run's warnings: a noisy figure is no failure, and the ⚠ on its cell and
     * this list say it where the figure is read.
     */
    public static List<String> noise(RunResult run) {
        Map<String, String> names = new HashMap<>();
        run.environments().forEach(e -> names.put(e.environment(), e.displayName()));
        List<String> out = new ArrayList<>();
        for (Row row : rows(run)) {
            for (Cell c : row.cells()) {
                if (c.noisy()) {
                    Arrays.stream(c.noise().split("; ")).forEach(f -> out.add(names.getOrDefault(c.environment(), c.environment()) + ": " + f + "."));
                }
            }
        }
        return List.copyOf(out);
    }

    public static List<Row> rows(RunResult run) {
        List<Row> rows = new ArrayList<>();
        List<Cell> paths = new ArrayList<>();
        for (EnvironmentResult e : run.environments()) {
            paths.add(new Cell(e.environment(), e.networkPath() == null ? Fmt.NONE : e.networkPath(), "", false));
        }
        rows.add(new Row("Network path", "how requests reach the server from this machine", paths));
        if (run.plan().isCapacitySearch()) {
            rows.addAll(capacityRows(run));
            return rows;
        }
        for (Spec spec : SPECS) {
            String best = spec.comparisonKey() == null ? null : run.best().get(spec.comparisonKey().id());
            List<Cell> cells = new ArrayList<>();
            for (EnvironmentResult e : run.environments()) {
                if (!e.hasData()) {
                    cells.add(new Cell(e.environment(), "not measured", "", false));
                    continue;
                }
                String ratio = spec.comparisonKey() == null ? ""
                        : find(run, spec.comparisonKey(), e.environment()).map(ComparisonTable::ratio).orElse("");
                Noise noise = spec.comparisonKey() == null ? null
                        : Noise.of(spec.comparisonKey(), e);
                cells.add(new Cell(e.environment(), spec.text().apply(e.summary()), ratio, e.environment().equals(best),
                        noise == null ? "" : noise.cv(), noise == null ? "" : String.join("; ", noise.findings()),
                        spec.comparisonKey() == null ? "" : sureness(run, spec.comparisonKey(), e)));
            }
            rows.add(new Row(spec.metric(), spec.note(), cells));
        }
        return rows;
    }

    /**
     * A capacity search's rows: the capacity at the objective with its ratio to the baseline (one search per
     * environment, so no interval), the steps, how each search ended, and the cold start when it was timed.
     */
    private static List<Row> capacityRows(RunResult run) {
        String objective = run.plan().capacity().objective().describe();
        EnvironmentResult base = run.environment(run.plan().baseline()).orElse(null);
        double baseRate = base == null || base.capacity() == null ? Double.NaN : base.capacity().capacityRate();
        List<Cell> capacity = new ArrayList<>();
        List<Cell> steps = new ArrayList<>();
        List<Cell> ended = new ArrayList<>();
        List<Cell> startup = new ArrayList<>();
        for (EnvironmentResult e : run.environments()) {
            var c = e.capacity();
            if (c == null) {
                capacity.add(new Cell(e.environment(), "not measured", "", false));
                steps.add(new Cell(e.environment(), Fmt.NONE, "", false));
                ended.add(new Cell(e.environment(), e.failure() == null ? Fmt.NONE : e.failure(), "", false));
            } else {
                String text = c.found() ? Fmt.rate(c.capacityRate()) + (c.generatorLimited() ? " (at least)" : "") : "none held";
                String ratio = e == base || !c.found() || Double.isNaN(baseRate) ? "" : Fmt.ratio(c.capacityRate() / baseRate);
                capacity.add(new Cell(e.environment(), text, ratio, false));
                steps.add(new Cell(e.environment(), c.steps().size() + " (" + c.steps().stream().filter(s -> s.passed()).count() + " held)", "",
                        false));
                ended.add(new Cell(e.environment(), c.note(), "", false));
            }
            startup.add(new Cell(e.environment(), e.summary() == null ? Fmt.NONE : Fmt.millis(e.summary().startupMedianMillis()),
                    find(run, Metric.STARTUP, e.environment()).map(ComparisonTable::ratio).orElse(""), false));
        }
        List<Row> out = new ArrayList<>();
        out.add(new Row("Capacity at " + objective, "the highest open-loop rate whose every step held the objective; ratio to the"
                + " baseline (one search each: no interval)", capacity));
        out.add(new Row("Steps", "each a warm-up and a measured window at a target rate", steps));
        out.add(new Row("How the search ended", "", ended));
        if (run.plan().startupTrials() > 0) {
            out.add(new Row("Startup (median)", "cold start: stopped to the first HTTP 200", startup));
        }
        return out;
    }

    /** "1.52×" with its interval and the interval's level, "1.52× [1.31–1.80] 90 %", when there is one. */
    static String ratio(MetricComparison c) {
        return Double.isNaN(c.ciLow()) ? Fmt.ratio(c.ratio())
                : Fmt.ratio(c.ratio()) + " [" + bound(c.ciLow()) + "–" + bound(c.ciHigh()) + "] " + Stats.levelText(c.level());
    }

    /**
     * How sure one environment's figure is, in words: its median with its own interval and that interval's level
     * ("2,973/s, median of 3 rounds; its interval [2,747/s, 3,430/s] holds the true median at 75 %"), and, for the
     * ratio, why no side is marked when too few rounds make it unsure.
     */
    static String sureness(RunResult run, Metric metric, EnvironmentResult e) {
        double[] samples = metric.samples(e);
        String unit = metric.unit();
        String of = metric.source() == Metric.Source.ROUNDS ? "rounds" : "timed starts";
        Stats.Interval own = Stats.medianInterval(samples);
        if (Double.isNaN(Stats.median(samples))) {
            return "";
        }
        StringBuilder out = new StringBuilder(Fmt.value(Stats.median(samples), unit) + ", the median of "
                + samples.length + " " + of);
        if (own == null) {
            out.append("; no interval: 3 or more give one");
        } else {
            out.append("; its interval [").append(Fmt.value(own.low(), unit)).append(", ").append(Fmt.value(own.high(), unit))
                    .append("] holds the true median at ").append(Stats.levelText(own.level()));
        }
        find(run, metric, e.environment()).ifPresent(c -> {
            if (!Double.isNaN(c.ciLow()) && !c.sure()) {
                int more = c.moreSamplesToBeSure();
                out.append(". Its ratio's interval is only ").append(Stats.levelText(c.level()))
                        .append(" sure, so no side is marked: unsure, ").append(more).append(" more ").append(of)
                        .append(" a side would settle it");
            } else if (!Double.isNaN(c.ciLow())) {
                out.append(". Its ratio's interval holds the true ratio at ").append(Stats.levelText(c.level()));
            }
        });
        return out.append('.').toString();
    }

    private static String bound(double r) {
        String f = Fmt.ratio(r);
        return f.endsWith("×") ? f.substring(0, f.length() - 1) : f;
    }

    /** The comparison of one metric of one environment against the baseline, if there is one. */
    static Optional<MetricComparison> find(RunResult run, Metric metric, String env) {
        return run.comparisons().stream().filter(m -> m.metric().equals(metric) && m.other().equals(env)).findFirst();
    }
}
