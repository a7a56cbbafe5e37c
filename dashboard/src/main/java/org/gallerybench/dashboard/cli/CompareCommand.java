package org.gallerybench.dashboard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gallerybench.dashboard.bench.BenchException;
import org.gallerybench.dashboard.bench.ComparisonRun;
import org.gallerybench.dashboard.bench.EnvironmentCatalog;
import org.gallerybench.dashboard.bench.EnvironmentResult;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.EventBus;
import org.gallerybench.dashboard.bench.LoadProfile;
import org.gallerybench.dashboard.bench.RequestMix;
import org.gallerybench.dashboard.bench.RunPlan;
import org.gallerybench.dashboard.bench.RunResult;
import org.gallerybench.dashboard.history.RunHistory;
import org.gallerybench.dashboard.report.MarkdownReport;
import org.gallerybench.dashboard.report.Reports;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ServerArtifact;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Deploys the gallery into each environment, times restarts to the first 200, loads it while sampling CPU and"
                + " memory, and writes the reports. Closed loop by default (--concurrency); open loop with --rate.",
        footer = {"", "Examples:", "  gallerybench compare --env local,docker --duration 30s --concurrency 50",
                "  gallerybench compare --env local,docker,vm --rate 500 --startup-trials 5 --out results/ --threshold 'p95<200ms'"})
final class CompareCommand extends CliCommand {
    @Option(names = "--env", defaultValue = "local", description = "Environments, comma separated; the first is the baseline (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--profile", description = "Start from a preset: quick (about a minute) or standard. Other options override it.")
    String profile;

    @Option(names = "--duration", converter = Units.DurationConverter.class, description = "Load phase length (default 30s).")
    Duration duration;

    @Option(names = {"--concurrency", "-c"}, description = "Closed loop: requests in flight (default 50).")
    Integer concurrency;

    @Option(names = "--rate", description = "Open loop: requests per second; latency is measured from each request's intended send time.")
    Double rate;

    @Option(names = "--connections", description = "Open loop: connections (default: --concurrency, or 64).")
    Integer connections;

    @Option(names = {"--requests", "-n"}, description = "Closed loop: stop after this many requests, like ab -n.")
    Long requests;

    @Option(names = "--warmup", converter = Units.DurationConverter.class, description = "Load applied and discarded first (default 5s).")
    Duration warmup;

    @Option(names = "--startup-trials", description = "Restarts timed to the first 200, per environment (default 5).")
    Integer startupTrials;

    @Option(names = "--until-stable", description = "Keep restarting until the relative standard deviation is 3 %% or less.")
    boolean untilStable;

    @Option(names = "--max-startup-trials", defaultValue = "15", description = "The most restarts with --until-stable (default ${DEFAULT-VALUE}).")
    int maxStartupTrials;

    @Option(names = "--mix", description = "Request mix, e.g. page=80,image=15,upload=5 (default page=100).")
    String mix;

    @Option(names = "--upload-size", converter = Units.SizeConverter.class, description = "Size of uploaded images (default 100KiB).")
    Integer uploadSize;

    @Option(names = "--interval", converter = Units.DurationConverter.class, defaultValue = "1s", description = "CPU/memory sampling interval.")
    Duration interval;

    @Option(names = "--cool-down", converter = Units.DurationConverter.class, defaultValue = "2s", description = "Idle time between environments.")
    Duration coolDown;

    @Option(names = "--no-isolate", description = "Leave the other environments running while one is measured.")
    boolean noIsolate;

    @Option(names = "--rounds", description = "Independent rounds per environment, interleaved (A B C, A B C, ...), each with its own"
            + " warm-up; the duration is split between them. Figures are medians over rounds; 3 or more give intervals"
            + " (default 3; standard: 5).")
    Integer rounds;

    @Option(names = "--dataset", description = "Images in the one gallery every environment serves, the same in every run (default 200);"
            + " each store is set to exactly them before each round. 0 leaves the stores as they are.")
    Integer dataset;

    @Option(names = "--seed", description = "Seed of the load's random choices, to repeat a run exactly (default: a new one, recorded in run.json).")
    Long seed;

    @Option(names = "--docker-host", description = "The Docker engine, e.g. tcp://HOST:2375 or ssh://HOST (default: the saved setting,"
            + " else DOCKER_HOST, else the local socket). The container is then reached on HOST.")
    String dockerHost;

    @Option(names = "--docker-endpoint-host", description = "Where the container's port is reached, if not the engine's host.")
    String dockerEndpointHost;

    @Option(names = "--vm-endpoint-host", description = "Where the VM's port is reached, if not its SSH host (127.0.0.1 for Vagrant).")
    String vmEndpointHost;

    @Option(names = "--out", description = "Folder for the reports (default results/RUN-ID).")
    Path out;

    @Option(names = "--format", split = ",", description = "Reports to write: html,json,csv,md,png (default all).")
    List<String> formats;

    @Option(names = "--threshold", description = "A condition the run must meet, e.g. 'p95<200ms', 'rps>1000', 'errors=0', 'docker.startup<2s'."
            + " Exit code 1 if one fails. Repeatable.")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--label", defaultValue = "", description = "A name for the run in history and reports.")
    String label;

    @Option(names = "--no-history", description = "Do not keep this run in the history.")
    boolean noHistory;

    @Override
    public Integer call() throws Exception {
        List<String> ids = EnvironmentCatalog.parseIds(env);
        List<Threshold> checks = thresholds.stream().map(Threshold::parse).toList();
        Set<Reports.Format> wanted = formats == null || formats.isEmpty() ? EnumSet.allOf(Reports.Format.class)
                : EnumSet.copyOf(formats.stream().map(Reports.Format::parse).toList());
        RunPlan plan = plan(ids);
        GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
        CountDownLatch saved = new CountDownLatch(1);
        RunResult result = execute(plan, ctx, saved);
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
        failIfNotMeasured(result);
        return checkThresholds(result, checks);
    }

    /**
     * Runs the comparison with live progress. Ctrl-C or SIGTERM cancels it: the engine restores every environment,
     * and the hook waits until the partial result is saved ({@code saved}), then ends the process with 130.
     */
    private RunResult execute(RunPlan plan, GalleryBenchCli.Context ctx, CountDownLatch saved) throws Exception {
        ServerArtifact artifact = ServerArtifact.of(ctx.paths.serverJar());
        Reports.warmUp(); // so that a cancelled run can still draw its charts while the JVM shuts down
        Map<String, Environment> environments = ctx.catalog(s -> {
            EnvironmentSettings changed = dockerHost != null ? s.withDockerHost(dockerHost.strip()) : s;
            return changed.withEndpointHosts(dockerEndpointHost != null ? dockerEndpointHost : changed.dockerEndpointHost(),
                    vmEndpointHost != null ? vmEndpointHost : changed.vmEndpointHost());
        }).create(plan.environments());
        try (EventBus bus = new EventBus()) {
            PrintStream progressOut = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
            AutoCloseable progress = bus.subscribe(new CliProgress(progressOut, CliProgress.isTerminal()));
            ComparisonRun run = new ComparisonRun(plan, environments, artifact, bus);
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

    private static void failIfNotMeasured(RunResult result) {
        List<EnvironmentResult> failed = result.environments().stream().filter(e -> e.failure() != null).toList();
        if (!failed.isEmpty() || result.status() == RunResult.Status.FAILED) {
            String why = failed.isEmpty() ? String.join("; ", result.warnings())
                    : failed.stream().map(e -> e.environment() + ": " + e.failure()).reduce((a, b) -> a + "; " + b).orElse("");
            throw new BenchException("not every environment could be measured: " + why);
        }
    }

    private int checkThresholds(RunResult result, List<Threshold> checks) {
        PrintWriter stdout = out();
        int exit = GalleryBenchCli.OK;
        for (Threshold t : checks) {
            for (EnvironmentResult e : result.environments()) {
                if (!t.appliesTo(e)) {
                    continue;
                }
                boolean pass = t.passes(e.summary());
                stdout.printf(Locale.ROOT, "threshold %-22s %-7s %s (actual %.2f)%n", t.text(), e.environment(), pass ? "ok" : "FAILED",
                        t.actual(e.summary()));
                if (!pass) {
                    exit = GalleryBenchCli.THRESHOLD_FAILED;
                }
            }
        }
        stdout.flush();
        return exit;
    }

    RunPlan plan(List<String> ids) {
        RunPlan base = switch (profile == null ? "" : profile.strip().toLowerCase(Locale.ROOT)) {
            case "" -> RunPlan.of(ids, LoadProfile.closed(50, Duration.ofSeconds(30)).withWarmup(Duration.ofSeconds(5)));
            case "quick" -> RunPlan.quick(ids);
            case "standard" -> RunPlan.standard(ids);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown profile '" + profile + "': use quick or standard");
        };
        LoadProfile load = base.load();
        if (rate != null) {
            int conns = connections != null ? connections : concurrency != null ? concurrency : 64;
            load = new LoadProfile(LoadProfile.Mode.OPEN, conns, rate, load.duration(), 0, load.warmup(), load.requestTimeout(), load.mix(),
                    load.uploadBytes());
        } else if (concurrency != null) {
            load = new LoadProfile(LoadProfile.Mode.CLOSED, concurrency, 0, load.duration(), load.requestLimit(), load.warmup(),
                    load.requestTimeout(), load.mix(), load.uploadBytes());
        }
        if (requests != null) {
            if (rate != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--requests applies to the closed loop; drop --rate, or use --duration");
            }
            load = load.withRequestLimit(requests).withDuration(duration != null ? duration : Duration.ZERO);
        } else if (duration != null) {
            load = load.withDuration(duration);
        }
        if (warmup != null) {
            load = load.withWarmup(warmup);
        }
        if (mix != null) {
            load = load.withMix(RequestMix.parse(mix));
        }
        if (uploadSize != null) {
            load = load.withUploadBytes(uploadSize);
        }
        RunPlan plan = base.withLoad(load).withSampling(interval, coolDown).withIsolation(!noIsolate)
                .withRounds(rounds != null ? rounds : base.rounds()).withLabel(label.isBlank() ? base.label() : label);
        if (seed != null) {
            plan = plan.withSeed(seed);
        }
        if (dataset != null) {
            plan = plan.withDataset(dataset);
        }
        if (startupTrials != null || untilStable) {
            plan = plan.withStartupTrials(startupTrials != null ? startupTrials : base.startupTrials(), untilStable, maxStartupTrials);
        }
        return plan;
    }
}
