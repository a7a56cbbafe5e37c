package org.gallerybench.engine.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gallerybench.engine.BenchException;
import org.gallerybench.engine.run.ComparisonRun;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.setup.EnvironmentKind;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.run.EventBus;
import org.gallerybench.engine.run.RunPlan;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.report.MarkdownReport;
import org.gallerybench.engine.report.Reports;
import org.gallerybench.engine.load.Requests;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.Subjects;
import org.gallerybench.environments.ServerArtifact;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.stream.Collectors;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.engine.history.RunToRunNoise;
import org.gallerybench.engine.history.Verdict;
import org.gallerybench.engine.run.Comparisons;
import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.Stats;
import org.gallerybench.engine.run.TimeEstimate;
import org.gallerybench.environments.docker.DockerSettings;

/**
 * What compare and capacity share: the environments and their connection overrides, the reports, the history, the
 * thresholds, and running a plan with live progress and a clean cancel.
 */
abstract class RunCommand extends CliCommand {
    @Option(names = "--env", defaultValue = "local", description = "Environments, comma separated; the first is the baseline (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--docker-host", description = "The Docker engine, e.g. tcp://HOST:2375 or ssh://HOST (default: the saved setting,"
            + " else DOCKER_HOST, else the local socket). The container is then reached on HOST.")
    String dockerHost;

    @Option(names = "--docker-endpoint-host", description = "Where the container's port is reached, if not the engine's host.")
    String dockerEndpointHost;

    @Option(names = "--network", split = ",", description = "The network path of docker or gvisor: ENV=published (a published port,"
            + " through docker-proxy or NAT) or ENV=host (the host's network), e.g. --network docker=host,gvisor=host (default: the saved"
            + " setting, else published).")
    Map<String, String> network = new LinkedHashMap<>();

    @Option(names = "--vm-endpoint-host", description = "Where the VM's port is reached, if not its SSH host (127.0.0.1 for Vagrant).")
    String vmEndpointHost;

    @Option(names = "--out", description = "Folder for the reports (default results/RUN-ID).")
    Path out;

    @Option(names = "--format", split = ",", description = "Reports to write: html,json,csv,md,png (default all).")
    List<String> formats;

    @Option(names = "--threshold", description = "A condition the run must meet, e.g. 'p95<200ms', 'rps>1000', 'errors=0', 'docker.startup<2s'."
            + " Exit code 1 if one fails. Repeatable.")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--no-history", description = "Do not keep this run in the history.")
    boolean noHistory;

    @Option(names = "--baseline", description = "Judge each figure against an earlier run: a run id, 'latest' (the most recent earlier"
            + " completed run of the same app) or 'marked' (the run `history baseline ID` marked). Each figure's change, its interval with its level"
            + " from both runs' rounds, and a verdict: better or worse (the whole interval beyond the noise: the larger of --noise-threshold"
            + " and how much runs of one build differ here, learned from the history), within noise, or unsure (an interval less than"
            + " 90 %% sure: 3 rounds a side give 90 %%).")
    String baseline;

    @Option(names = "--noise-threshold", defaultValue = "5%", description = "A change smaller than this is within noise (default: ${DEFAULT-VALUE}).")
    String noiseThreshold;

    @Option(names = "--fail-on-regression", arity = "0..1", fallbackValue = "", paramLabel = "THRESHOLD",
            description = "With --baseline: exit 1 when a figure is worse than the baseline's beyond noise, one line per regression."
                    + " THRESHOLD (e.g. 10%%) replaces --noise-threshold for this check.")
    String failOnRegression;

    @Option(names = "--subject", description = "The app under test: gallery (the default), flask-gallery, or the folder of your own app"
            + " (with a subject.toml). See: gallerybench subject list.")
    String subject;

    /** The environments of --env, checked with --network, --threshold and --format before anything runs. */
    List<String> checkedEnvironments() {
        List<String> ids = EnvironmentCatalog.parseIds(env);
        checkNetwork();
        thresholds.forEach(Threshold::parse);
        wanted();
        percent("--noise-threshold", noiseThreshold);
        if (failOnRegression != null) {
            if (baseline == null) {
                throw new IllegalArgumentException("--fail-on-regression needs a run to compare with: add --baseline ID, --baseline latest"
                        + " or --baseline marked");
            }
            if (!failOnRegression.isBlank()) {
                percent("--fail-on-regression", failOnRegression);
            }
        }
        if (baseline != null && !baseline.equals("latest") && !baseline.equals("marked")) {
            try (var history = new GalleryBenchCli.Context().history()) {
                history.require(baseline.strip()); // a wrong id fails now, not after the run
            }
        }
        return ids;
    }

    private Set<Reports.Format> wanted() {
        return formats == null || formats.isEmpty() ? EnumSet.allOf(Reports.Format.class)
                : EnumSet.copyOf(formats.stream().map(Reports.Format::parse).toList());
    }

    /** Runs the plan, writes the reports and keeps it in the history, then checks the thresholds: the exit code. */
    int runAndReport(RunPlan plan) throws Exception {
        List<Threshold> checks = thresholds.stream().map(Threshold::parse).toList();
        Set<Reports.Format> wanted = wanted();
        GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
        Subject app = Subjects.find(ctx.paths.projectRoot(), subject);
        plan = plan.withSubject(app.name());
        Requests.of(app).require(plan.load().mix(), app.name()); // before anything runs
        CountDownLatch saved = new CountDownLatch(1);
        RunResult result = execute(plan, app, ctx, saved);
        Path folder = out != null ? out : Path.of("results", result.id());
        try {
            keep(result, ctx, folder, wanted);
        } finally {
            saved.countDown();
        }
        if (result.status() == RunResult.Status.CANCELLED) {
            out().println("The run was cancelled; the partial result is in " + folder + " and in the history.");
            out().flush();
            return GalleryBenchCli.CANCELLED;
        }
        int verdict = baseline == null ? GalleryBenchCli.OK : againstBaseline(result, ctx);
        failIfNotMeasured(result);
        int checked = Threshold.checkAll(result, checks, out());
        return Math.max(checked, verdict);
    }

    /** --network, checked before anything runs. */
    void checkNetwork() {
        network.forEach((id, path) -> {
            if (!EnvironmentKind.has(id.strip(), EnvironmentKind.Capability.NETWORK_PATH)) {
                throw new IllegalArgumentException("--network " + id + "=" + path + ": only docker and gvisor have a network path to choose");
            }
            DockerSettings.NetworkPath.parse(path);
        });
    }

    /**
     * Runs the comparison with live progress. Ctrl-C or SIGTERM cancels it: the engine restores every environment,
     * and the hook waits until the partial result is saved ({@code saved}), then ends the process with 130.
     */
    private RunResult execute(RunPlan plan, Subject app, GalleryBenchCli.Context ctx, CountDownLatch saved) throws Exception {
        ServerArtifact artifact = ServerArtifact.of(ctx.paths.serverJar());
        Reports.warmUp(); // so that a cancelled run can still draw its charts while the JVM shuts down
        Map<String, Environment> environments = ctx.catalog(s -> {
            EnvironmentSettings changed = dockerHost != null ? s.withDockerHost(dockerHost.strip()) : s;
            for (Map.Entry<String, String> path : network.entrySet()) {
                changed = changed.withNetwork(path.getKey().strip(),
                        DockerSettings.NetworkPath.parse(path.getValue()).key());
            }
            return changed.withEndpointHosts(dockerEndpointHost != null ? dockerEndpointHost : changed.docker().endpointHost(),
                    vmEndpointHost != null ? vmEndpointHost : changed.vm().endpointHost());
        }).forSubject(app).create(plan.environments());
        try (EventBus bus = new EventBus()) {
            PrintStream progressOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
            // How long it will take, from what this machine measured before: said first, then counted down in the progress.
            TimeEstimate estimate;
            try (var history = ctx.history()) {
                estimate = history.estimate(plan);
            }
            progressOut.println("Estimated time: " + estimate.describe() + ".");
            AutoCloseable progress = bus.subscribe(new CliProgress(progressOut, CliProgress.isTerminal(), estimate));
            ComparisonRun run = new ComparisonRun(plan, environments, artifact, bus).forSubject(app);
            Thread hook = new Thread(() -> {
                run.cancel();
                progressOut.println();
                progressOut.println("gallerybench: cancelling: restoring the environments and saving what was measured ...");
                try {
                    saved.await(90, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
                Runtime.getRuntime().halt(GalleryBenchCli.CANCELLED);
            }, "gallerybench-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return run.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook cancelled the run and waits for the result to be saved
                }
                bus.drain();
                progress.close();
                environments.values().forEach(Environment::close);
            }
        }
    }

    /** Writes the reports and keeps the run in the history; prints the table. */
    private void keep(RunResult result, GalleryBenchCli.Context ctx, Path folder, Set<Reports.Format> wanted) throws Exception {
        PrintWriter stdout = out();
        List<Path> files = Reports.write(result, folder, wanted, 1200, 600);
        if (!noHistory) {
            ctx.history().save(result);
        }
        stdout.println();
        stdout.println(MarkdownReport.render(result));
        stdout.println("Reports: " + folder.toAbsolutePath() + " (" + files.size() + " files)");
        stdout.flush();
    }

    /** "5%", "5" or "12.5 %" as a number of percent; a clear error otherwise. */
    static double percent(String option, String text) {
        try {
            double v = Double.parseDouble(text.strip().replace("%", "").strip());
            if (v < 0 || v > 1000) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": give a percentage, e.g. 5% or 10%");
        }
    }

    /**
     * This run against its baseline: what makes them unlike first, then each figure that moved beyond noise, the count
     * of those within it, and with --fail-on-regression one line per regression (exit 1).
     */
    private int againstBaseline(RunResult result, GalleryBenchCli.Context ctx) {
        PrintWriter stdout = out();
        RunResult base;
        String which;
        RunToRunNoise runToRun;
        try (RunHistory history = ctx.history()) {
            which = switch (baseline.strip()) {
                case "latest" -> history.list().stream().filter(e -> !e.id().equals(result.id()) && e.status() == RunResult.Status.COMPLETED)
                        .map(e -> history.require(e.id())).filter(r -> r.plan().subject().equals(result.plan().subject()))
                        .map(RunResult::id).findFirst().orElse(null);
                case "marked" -> history.baseline().filter(id -> !id.equals(result.id())).orElse(null);
                default -> baseline.strip();
            };
            if (which == null) {
                stdout.println();
                stdout.println("No baseline to judge against: " + (baseline.strip().equals("marked") ? "no run is marked (history baseline ID)"
                        : "no earlier completed run of " + result.plan().subject() + " in the history") + ". This run is the first; the next one"
                        + " will be judged against it.");
                stdout.flush();
                return GalleryBenchCli.OK;
            }
            base = history.require(which);
            // How much whole runs differ here, from the earlier runs of one build (the run judged itself left out).
            runToRun = history.noiseFor(result, Set.of(result.id()));
        }
        double noise = percent("--noise-threshold", noiseThreshold);
        // One comparison of both runs' rounds: the verdicts and the gate read the same rows.
        List<MetricComparison> rows = RunHistory.compare(base, result);
        List<Verdict> verdicts = Verdict.of(rows, noise, runToRun);
        stdout.println();
        stdout.println("Against run " + base.id() + (baseline.strip().equals(which) ? "" : " (" + baseline.strip() + ")") + ":");
        List<String> unlike = RunHistory.differences(base, result);
        unlike.forEach(d -> stdout.println("  not like for like: " + d));
        if (verdicts.isEmpty()) {
            stdout.println("  no environment was measured in both runs: nothing to judge.");
        }
        stdout.println("  " + runToRun.describe(result.environments().stream().map(e -> e.environment()).toList(),
                Comparisons.metrics()) + ".");
        verdicts.stream().filter(v -> v.kind() != Verdict.Kind.WITHIN_NOISE)
                .forEach(v -> stdout.println("  " + v.describe()));
        Map<Verdict.Kind, Long> counts = verdicts.stream().collect(
                Collectors.groupingBy(Verdict::kind, Collectors.counting()));
        stdout.printf(Locale.ROOT, "  %d worse, %d better, %d within noise (the larger of %s %% and the run-to-run noise), %d unsure"
                        + " (an interval less than %s sure).%n",
                counts.getOrDefault(Verdict.Kind.WORSE, 0L),
                counts.getOrDefault(Verdict.Kind.BETTER, 0L),
                counts.getOrDefault(Verdict.Kind.WITHIN_NOISE, 0L), noiseThreshold.replace("%", "").strip(),
                counts.getOrDefault(Verdict.Kind.UNSURE, 0L),
                Stats.levelText(Stats.SURE_LEVEL));
        int code = GalleryBenchCli.OK;
        if (failOnRegression != null) {
            double gate = failOnRegression.isBlank() ? noise : percent("--fail-on-regression", failOnRegression);
            List<Verdict> regressions = Verdict.of(rows, gate, runToRun).stream()
                    .filter(v -> v.kind() == Verdict.Kind.WORSE).toList();
            if (regressions.isEmpty()) {
                stdout.println("No regression against run " + base.id() + ": every figure is within noise, better or unsure.");
            } else {
                regressions.forEach(v -> stdout.println("regression: " + v.describe()));
                code = GalleryBenchCli.THRESHOLD_FAILED;
            }
        }
        stdout.flush();
        return code;
    }

    private static void failIfNotMeasured(RunResult result) {
        List<EnvironmentResult> failed = result.environments().stream().filter(e -> e.failure() != null).toList();
        if (!failed.isEmpty() || result.status() == RunResult.Status.FAILED) {
            String why = failed.isEmpty() ? String.join("; ", result.warnings())
                    : failed.stream().map(e -> e.environment() + ": " + e.failure()).reduce((a, b) -> a + "; " + b).orElse("");
            throw new BenchException("not every environment could be measured: " + why);
        }
    }

}
