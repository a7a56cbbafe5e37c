package org.gallerybench.engine.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.run.RunResult;
import java.util.Locale;
import org.gallerybench.engine.run.Fingerprint;

/**
 * What each environment and network path costs against the baseline (the local process, when it leads the run):
 * one row per environment, one column per cost, each as a ratio with its interval from the rounds and that interval's level. So a reader
 * sees at a glance what the kernel boundary, the sandbox, the proxy and the hypervisor each cost (issue 13). Its
 * columns are the figures Felter et al. compared: throughput, request/response latency at one request in flight,
 * latency under load, cold start and CPU per request. The Markdown and HTML reports and the dashboard render it.
 */
public final class OverheadTable {

    /** A column: its heading, a short one for narrow tables, the comparison metric behind it, and its unit. */
    public record Column(String heading, String shortHeading, Metric metric, String unit) {
    }

    /**
     * One environment's row.
     *
     * @param baseline true for the row the others are divided by
     * @param cells    one per column: the figure, then the ratio with its interval ("0.44× [0.41–0.47]")
     */
    public record Row(String environment, String name, String networkPath, boolean baseline, List<Cell> cells) {
    }

    /** A figure ("1,234/s") and its ratio to the baseline ("0.44× [0.41–0.47]"); "" for the baseline itself. */
    public record Cell(String value, String ratio) {
        /** "1,234/s · 0.44× [0.41–0.47]". */
        public String text() {
            return ratio.isEmpty() ? value : value + " · " + ratio;
        }
    }

    private OverheadTable() {
    }

    public static List<Column> columns(RunResult run) {
        LoadProfile load = run.plan().load();
        boolean closed = load.mode() == LoadProfile.Mode.CLOSED;
        String under = closed ? load.concurrency() + " in flight" : "under load";
        String at = closed ? " @" + load.concurrency() : " loaded";
        return List.of(new Column("Throughput", "Throughput", Metric.REQUESTS_PER_SECOND, "req/s"),
                new Column("p50 · 1 in flight", "p50 @1", Metric.P50_AT_ONE, "ms"),
                new Column("p99 · 1 in flight", "p99 @1", Metric.P99_AT_ONE, "ms"),
                new Column("p50 · " + under, "p50" + at, Metric.P50, "ms"),
                new Column("p99 · " + under, "p99" + at, Metric.P99, "ms"),
                new Column("Cold start", "Cold start", Metric.STARTUP, "ms"),
                new Column("Host CPU per request", "CPU/request", Metric.HOST_CPU_PER_REQUEST, "us"));
    }

    /** Shown when the baseline and at least one other environment were measured. */
    public static boolean applies(RunResult run) {
        return !run.plan().isCapacitySearch() && baseline(run).isPresent()
                && run.environments().stream().filter(EnvironmentResult::hasData).count() >= 2;
    }

    /** The baseline's name, for the heading: "Overhead against the Local process". */
    public static String baselineName(RunResult run) {
        return baseline(run).map(EnvironmentResult::displayName).orElse(run.plan().baseline());
    }

    public static List<Row> rows(RunResult run) {
        List<Row> rows = new ArrayList<>();
        if (!applies(run)) {
            return rows;
        }
        String base = run.plan().baseline();
        for (EnvironmentResult e : run.environments()) {
            if (!e.hasData()) {
                continue;
            }
            boolean isBase = e.environment().equals(base);
            List<Cell> cells = new ArrayList<>();
            for (Column c : columns(run)) {
                double value = Comparisons.median(c.metric(), e);
                String ratio = isBase ? "" : ComparisonTable.find(run, c.metric(), e.environment()).map(ComparisonTable::ratio).orElse(Fmt.NONE);
                cells.add(new Cell(format(value, c.unit()), ratio));
            }
            String name = run.emulated(e.environment())
                    ? e.displayName() + " (" + Fingerprint.EMULATED_TAG + ")" : e.displayName();
            rows.add(new Row(e.environment(), name, e.networkPath() == null ? Fmt.NONE : e.networkPath(), isBase, cells));
        }
        return rows;
    }

    /** What the reader needs to read the table right. */
    public static String note(RunResult run) {
        return "Each figure is the median over rounds, then its ratio to " + baselineName(run) + " with its interval from the rounds and the level it has"
                + " (from the timed starts for cold start); none with fewer than 3. Above 1 is a cost, except for throughput."
                + " At 1 in flight: GET / after each round's load, one request at a time (request/response latency, as Felter et al."
                + " measured it). Host CPU per request: what this machine spent on the environment (process, container with its"
                + " proxy and shim, or the hypervisor) per successful request, in microseconds of one core."
                + (run.environments().stream().anyMatch(e -> run.emulated(e.environment()))
                ? " The VM runs under emulation (no KVM): its ratios are not those of a hardware-virtualized VM." : "");
    }

    static String format(double value, String unit) {
        return switch (unit) {
            case "ms" -> Fmt.millis(value);
            case "us" -> Double.isNaN(value) ? Fmt.NONE : String.format(Locale.ROOT, "%,.0f µs", value);
            default -> Fmt.rate(value);
        };
    }

    private static Optional<EnvironmentResult> baseline(RunResult run) {
        return run.environment(run.plan().baseline()).filter(EnvironmentResult::hasData);
    }

}
