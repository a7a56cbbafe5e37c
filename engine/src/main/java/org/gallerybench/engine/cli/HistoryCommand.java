package org.gallerybench.engine.cli;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.engine.report.Fmt;
import org.gallerybench.engine.report.MarkdownReport;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.nio.file.Path;
import java.util.Set;
import org.gallerybench.engine.history.RunToRunNoise;
import org.gallerybench.engine.history.Verdict;
import org.gallerybench.engine.report.TrendChart;
import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.Metric;
import org.gallerybench.engine.run.Stats;
import org.gallerybench.engine.run.Trend;

@Command(name = "history", mixinStandardHelpOptions = true, description = "Past runs: list, show, compare, trend, baseline, delete.",
        subcommands = {HistoryCommand.ListRuns.class, HistoryCommand.Show.class, HistoryCommand.Compare.class, HistoryCommand.TrendCommand.class,
                HistoryCommand.Baseline.class, HistoryCommand.Delete.class})
final class HistoryCommand extends CliCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Command(name = "list", description = "Every run, newest first.")
    static final class ListRuns extends CliCommand {
        @Override
        public Integer call() {
            PrintWriter out = out();
            List<RunHistory.Entry> runs = new GalleryBenchCli.Context().history().list();
            if (runs.isEmpty()) {
                out.println("No runs yet. Make one with: gallerybench compare --env local");
            }
            for (RunHistory.Entry e : runs) {
                out.printf(Locale.ROOT, "%s%s  %s UTC  %-9s %-16s %s  %s%n", e.id(), e.baseline() ? " *" : "  ", WHEN.format(e.startedAt()),
                        e.status().name().toLowerCase(Locale.ROOT), e.environments(), e.label().isBlank() ? "" : "[" + e.label() + "]", e.headline());
            }
            if (runs.stream().anyMatch(RunHistory.Entry::baseline)) {
                out.println("* the baseline run");
            }
            out.flush();
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "show", description = "One run's comparison table.")
    static final class Show extends CliCommand {
        @Parameters(index = "0", description = "Run id.")
        String id;

        @Override
        public Integer call() {
            RunResult run = new GalleryBenchCli.Context().history().require(id);
            return say(MarkdownReport.render(run));
        }
    }

    @Command(name = "compare", description = "Run B against run A, environment by environment: each ratio with its interval and the level it"
            + " has, and a verdict that allows for how much runs differ on this machine.")
    static final class Compare extends CliCommand {
        @Parameters(index = "0", description = "Run A (the reference).")
        String a;

        @Parameters(index = "1", description = "Run B.")
        String b;

        @CommandLine.Option(names = "--noise-threshold", defaultValue = "5%", description = "A change smaller than this is within noise"
                + " (default: ${DEFAULT-VALUE}).")
        String noiseThreshold;

        @Override
        public Integer call() {
            PrintWriter out = out();
            RunHistory history = new GalleryBenchCli.Context().history();
            List<String> unlike = history.differences(a, b);
            if (unlike.isEmpty()) {
                out.println("Like for like: the same plan, the same server build, the same machine.");
            } else {
                out.println("These runs are not like for like, so their differences may not be the server's:");
                unlike.forEach(d -> out.println("  - " + d));
                out.println();
            }
            double noise = RunCommand.percent("--noise-threshold", noiseThreshold);
            List<MetricComparison> rows = history.compare(a, b);
            if (rows.isEmpty()) {
                out.println("The two runs have no environment measured in both.");
            }
            RunResult runB = history.require(b);
            RunToRunNoise runToRun = history.noiseFor(runB, Set.of(runB.id()));
            List<Verdict> verdicts = Verdict.of(rows, noise, runToRun);
            out.println(runToRun.describe(runB.environments().stream().map(e -> e.environment()).toList(),
                    Comparisons.metrics()) + ".");
            out.printf("%-20s %-18s %14s %14s %9s %26s  %-7s  %s%n", "ENVIRONMENT", "METRIC", "A", "B", "B/A", "INTERVAL, LEVEL", "BETTER",
                    "VERDICT (noise " + noiseThreshold.strip() + " or more)");
            for (int i = 0; i < rows.size(); i++) {
                MetricComparison m = rows.get(i);
                Verdict v = verdicts.get(i);
                out.printf(Locale.ROOT, "%-20s %-18s %14s %14s %9s %26s  %-7s  %s%n", m.baseline().replaceFirst("@.*", ""), m.metric(),
                        Fmt.value(m.baseValue(), m.unit()), Fmt.value(m.otherValue(), m.unit()), Fmt.ratio(m.ratio()),
                        m.intervalText().isEmpty() ? "none (fewer than 3)" : m.intervalText(),
                        m.better().equals("neither") ? "neither" : m.better().endsWith("@" + b) ? "B" : "A",
                        switch (v.kind()) {
                            case UNSURE -> "unsure: " + v.moreRounds() + " more round" + (v.moreRounds() == 1 ? "" : "s") + " a side would settle it";
                            case WITHIN_NOISE -> "within noise (" + v.allowanceText() + ")";
                            default -> v.word() + " " + v.changeText() + " (beyond " + v.allowanceText() + ")";
                        });
            }
            out.flush();
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "trend", description = "One figure of one environment across the runs kept here, oldest first, each with its"
            + " interval and the level it has; and its chart as PNG.")
    static final class TrendCommand extends CliCommand {
        @CommandLine.Option(names = "--env", required = true, description = "The environment: local, docker, gvisor, vm, docker:host, ...")
        String env;

        @CommandLine.Option(names = "--metric", defaultValue = "p99", description = "The figure: startup, restart, requests/s, p50, p95, p99,"
                + " app memory, host memory, host cpu, ... (default: ${DEFAULT-VALUE}).")
        String metric;

        @CommandLine.Option(names = "--last", defaultValue = "20", description = "How many of the latest runs (default: ${DEFAULT-VALUE}).")
        int last;

        @CommandLine.Option(names = "--subject", description = "Only runs of this app (default: runs of any app).")
        String subject;

        @CommandLine.Option(names = "--out", description = "The chart's PNG (default results/trend-ENV-METRIC.png).")
        Path png;

        @Override
        public Integer call() throws Exception {
            if (last < 1) {
                throw new IllegalArgumentException("--last " + last + ": give 1 or more runs");
            }
            PrintWriter out = out();
            Trend trend;
            try (RunHistory history = new GalleryBenchCli.Context().history()) {
                trend = history.trend(env.strip(), Metric.of(metric.strip()), last, subject);
            }
            if (trend.points().isEmpty()) {
                out.println("No completed run here measured " + env + (subject == null ? "" : " with " + subject) + ": nothing to draw."
                        + " Make one with: gallerybench compare --env " + env);
                out.flush();
                return GalleryBenchCli.OK;
            }
            out.println(TrendChart.title(trend) + ":");
            out.printf("%-24s %-17s %14s %34s  %s%n", "RUN", "STARTED (UTC)", metric.toUpperCase(Locale.ROOT), "INTERVAL, LEVEL", "BUILD");
            for (var p : trend.points()) {
                out.printf(Locale.ROOT, "%-24s %-17s %14s %34s  %s%n", p.runId(), WHEN.format(p.startedAt()), Fmt.value(p.value(), trend.unit()),
                        p.hasInterval() ? "[" + Fmt.value(p.low(), trend.unit()) + ", " + Fmt.value(p.high(), trend.unit()) + "] "
                                + Stats.levelText(p.level())
                                : "(" + p.samples() + (p.samples() == 1 ? " round" : " rounds") + ": none)",
                        p.build() == null ? "unknown" : p.build().substring(0, Math.min(12, p.build().length())));
            }
            Path file = png != null ? png : Path.of("results", "trend-" + env.strip().replace(':', '-') + "-"
                    + metric.strip().replaceAll("[^A-Za-z0-9]+", "-") + ".png");
            TrendChart.writePng(trend, file, 1200, 600);
            out.println("Chart: " + file.toAbsolutePath());
            out.flush();
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "baseline", description = "Marks a run as the baseline.")
    static final class Baseline extends CliCommand {
        @Parameters(index = "0", description = "Run id.")
        String id;

        @Override
        public Integer call() {
            new GalleryBenchCli.Context().history().markBaseline(id);
            return say(id + " is now the baseline.");
        }
    }

    @Command(name = "delete", description = "Deletes one run from the history.")
    static final class Delete extends CliCommand {
        @Parameters(index = "0", description = "Run id.")
        String id;

        @Override
        public Integer call() {
            if (!new GalleryBenchCli.Context().history().delete(id)) {
                throw new RunHistory.HistoryException("There is no run '" + id + "' in the history; nothing was deleted. List them with: gallerybench history list");
            }
            return say(id + " deleted.");
        }
    }
}
