package org.gallerybench.engine.run;

import org.gallerybench.engine.BenchException;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadResult;
import org.gallerybench.engine.load.LoadResults;
import org.gallerybench.engine.load.Requests;
import org.gallerybench.engine.setup.AppPaths;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.FileLocks;
import org.gallerybench.environments.MachineControl;
import org.gallerybench.environments.ServerArtifact;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.gallerybench.environments.subject.Subject;

/**
 * Runs a {@link RunPlan}: for each environment in turn (the others stopped, so they do not steal CPU), deploy,
 * start, time the restarts, warm up, load while sampling CPU and memory, cool down. Or, interleaved, short rounds
 * alternating between environments to cancel drift. Everything it sees is published as {@link RunEvent}s.
 *
 * <p>An environment that fails is reported and skipped; the others are still measured. The run can be cancelled
 * at any moment from another thread, and it always cleans up: load stopped, samplers closed, and every environment
 * left running or stopped as it was found.
 */
public final class ComparisonRun {
    private static final Logger LOG = Logger.getLogger(ComparisonRun.class.getName());
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final RunPlan plan;
    private final Map<String, Environment> environments;
    private final ServerArtifact artifact;
    private final EventBus bus;
    private final String id;
    private final Path cacheRoot;
    private volatile boolean cancelled;
    private volatile Thread runner;
    private RunDataset dataset = RunDataset.none();
    private final LoadStep loadStep;
    private Requests requests = Requests.GALLERY;
    private String build;
    private final Set<String> deployed = ConcurrentHashMap.newKeySet();

    /** Rounds until stable stopped at its time limit, not its maximum. */
    private boolean autoOutOfTime;

    public ComparisonRun(RunPlan plan, Map<String, Environment> environments, ServerArtifact artifact, EventBus bus) {
        this(plan, environments, artifact, bus, AppPaths.cacheHome());
    }

    /** As above, with the folder the run's dataset is made in and cached. */
    public ComparisonRun(RunPlan plan, Map<String, Environment> environments, ServerArtifact artifact, EventBus bus, Path cacheRoot) {
        this.cacheRoot = cacheRoot;
        this.plan = plan;
        this.environments = new LinkedHashMap<>(environments);
        this.artifact = artifact;
        this.bus = bus;
        for (String env : plan.environments()) {
            if (!environments.containsKey(env)) {
                throw new IllegalArgumentException("unknown environment '" + env + "': choose from " + environments.keySet());
            }
        }
        this.id = ID.format(Instant.now()) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        this.loadStep = new LoadStep(id, bus, () -> cancelled);
        this.build = artifact.digest();
    }

    /**
     * Measures {@code subject} instead of the gallery: its requests drive the load, and its folder's digest is the run's
     * build. The environments must be the subject's (the catalog makes them so). Call before {@link #run()}.
     */
    public ComparisonRun forSubject(Subject subject) {
        this.requests = Requests.of(subject);
        this.build = subject.builtin() ? artifact.digest() : subject.digest();
        return this;
    }

    public String id() {
        return id;
    }

    /** Stops the run as soon as possible; {@link #run()} then returns a result with status CANCELLED. */
    public void cancel() {
        cancelled = true;
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs the plan on the calling thread and returns what was measured, also when it was cancelled part-way. */
    public RunResult run() {
        runner = Thread.currentThread();
        Instant started = Instant.now();
        RunPlan plan = this.plan.seed() != 0 ? this.plan : this.plan.withSeed(new SplittableRandom().nextLong() | 1);
        bus.publish(new RunEvent.RunStarted(id, plan, started));
        CompletableFuture<RunResult.Machine> machine = CompletableFuture.supplyAsync(
                RunResult.Machine::current, r -> Thread.ofVirtual().name("fingerprint").start(r));
        Map<String, Boolean> wasServing = new HashMap<>();
        Map<String, Boolean> machineWasUp = new HashMap<>();
        Map<String, Measurement> measurements = new LinkedHashMap<>();
        plan.environments().forEach(env -> measurements.put(env, new Measurement(environments.get(env))));
        RunResult.Status status = RunResult.Status.COMPLETED;
        String runFailure = null;
        List<FileLocks.Held> held = new ArrayList<>();
        try {
            requests.require(plan.load().mix(), plan.subject());
            dataset = RunDataset.of(plan, cacheRoot);
            loadStep.app(requests, dataset.names());
            held.addAll(lockEnvironments(plan));
            for (String env : plan.environments()) {
                Environment e = environments.get(env);
                wasServing.put(env, e.status() instanceof EnvironmentStatus.Ready);
                if (e instanceof MachineControl m) {
                    machineWasUp.put(env, m.isMachineUp());
                }
            }
            measureAll(plan, measurements);
        } catch (CancelledException e) {
            status = RunResult.Status.CANCELLED;
        } catch (RuntimeException e) {
            status = cancelled ? RunResult.Status.CANCELLED : RunResult.Status.FAILED;
            if (!cancelled) {
                LOG.log(Level.WARNING, "The run failed", e);
                runFailure = UserMessages.describe(e);
                bus.publish(new RunEvent.RunFailed(id, null, runFailure));
            }
        } finally {
            runner = null;
            Thread.interrupted(); // a cancel's interrupt has done its work: clean up without it, and do not leak it to the caller
            if (!held.isEmpty()) {
                restore(plan, wasServing, machineWasUp); // what another run holds is never touched
            }
            held.reversed().forEach(FileLocks.Held::close);
        }
        if (cancelled) {
            status = RunResult.Status.CANCELLED;
        }
        List<EnvironmentResult> results = new ArrayList<>();
        for (Measurement m : measurements.values()) {
            EnvironmentResult r = m.result(plan);
            if (r == null) {
                continue;
            }
            results.add(r);
            if (r.hasData()) {
                bus.publish(new RunEvent.EnvironmentFinished(id, r));
            }
        }
        RunResult.Machine where = machine.exceptionally(e -> RunResult.Machine.basic()).join();
        List<String> warnings = new ArrayList<>(RunWarnings.of(results,
                r -> environments.get(r.environment()) instanceof MachineControl && !where.kvmUsable(), where.kvm(), runFailure));
        if (plan.auto() != null && status == RunResult.Status.COMPLETED) {
            // Rounds until stable: each environment whose headline figures did not settle says which, and why it stopped.
            for (EnvironmentResult r : results) {
                List<RoundsAuto.Unsettled> open = r.measured() ? plan.auto().unsettled(r.rounds()) : List.of();
                if (!open.isEmpty()) {
                    warnings.add(plan.auto().warning(r.displayName(), open, r.rounds().size(), autoOutOfTime));
                }
            }
        }
        if (status == RunResult.Status.COMPLETED && results.stream().noneMatch(EnvironmentResult::hasData)) {
            status = RunResult.Status.FAILED;
        }
        RunResult result = new RunResult(id, plan.label(), status, started, Instant.now(), plan, build, where,
                dataset.info(), List.copyOf(results), Comparisons.compute(plan.baseline(), results), Comparisons.best(results), warnings);
        if (status == RunResult.Status.CANCELLED) {
            bus.publish(new RunEvent.RunCancelled(id, Instant.now()));
        }
        bus.publish(new RunEvent.RunFinished(id, result));
        return result;
    }

    /** What has been measured of one environment so far. */
    private final class Measurement {
        final Environment env;
        List<StartupTrial> trials = List.of();
        final List<ResourcePoint> resources = new ArrayList<>();
        final List<LoadResult> loads = new ArrayList<>();
        final List<RoundFigures> rounds = new ArrayList<>();
        CapacityResult capacity;
        String failure;
        boolean prepared;
        /** Wall time spent on this environment so far: what the next runs' time estimates learn from. */
        long busyNanos;

        /** Runs {@code work}, counting its time as this environment's. */
        void busy(Runnable work) {
            long t0 = System.nanoTime();
            try {
                work.run();
            } finally {
                busyNanos += System.nanoTime() - t0;
            }
        }

        Measurement(Environment env) {
            this.env = env;
        }

        boolean active() {
            return prepared && failure == null;
        }

        /**
         * A load's resource samples, on the environment's running time axis ({@code offset}: the seconds of load before
         * this one); its warm-up's samples only when {@code withWarmup} (the first, drawn before the load).
         */
        void keep(List<ResourcePoint> points, double offset, boolean withWarmup) {
            for (ResourcePoint point : points) {
                // A sample taken just after a load ended lies past the next round's start on the running axis: the
                // line would run backwards there, so it is left out.
                if (!resources.isEmpty() && point.seconds() + (point.seconds() >= 0 ? offset : 0) < resources.getLast().seconds()) {
                    continue;
                }
                if (point.seconds() >= 0) {
                    resources.add(new ResourcePoint(point.seconds() + offset, point.cpuPercent(), point.appMemoryBytes(),
                            point.environmentMemoryBytes(), point.hostCpuPercent(), point.hostMemoryBytes(), point.source()));
                } else if (withWarmup) {
                    resources.add(point);
                }
            }
        }

        /**
         * One measured load of this environment, the step a comparison's round and a capacity search's step share: the
         * load with its samples ({@link LoadStep}), kept on the environment's running time axis, and the samples of its
         * measured window (the round's or the step's own figures are made of them).
         */
        Measured measure(RunPlan plan, LoadProfile profile, String of, Progress progress, boolean withWarmup) {
            // The seconds charted before this load: one per tick, as the run's merged ticks number them (LoadResults.merge),
            // so that readings and ticks of a later round line up with each other and with the stored run.
            double offset = loads.stream().mapToInt(l -> l.ticks().size()).sum();
            List<ResourcePoint> points = new ArrayList<>();
            LoadResult r = loadStep.run(plan, env, profile, of, progress, points, loads.size() + 1, offset, withWarmup);
            keep(points, offset, withWarmup);
            loads.add(r);
            return new Measured(r, points.stream().filter(x -> x.seconds() >= 0 && x.seconds() <= r.seconds() + 1).toList());
        }

        /** Starts the server for a measurement, if it does not serve (a round after another environment's, a search). */
        void ensureServing(String forWhat, Progress progress) {
            if (!(env.status() instanceof EnvironmentStatus.Ready)) {
                phase(env, RunEvent.Phase.START, "starting for " + forWhat, progress.at(0.1));
                env.start();
            }
        }

        /** The result so far; null for an environment the run never reached. */
        EnvironmentResult result(RunPlan plan) {
            if (!prepared && failure == null) {
                return null;
            }
            if (loads.isEmpty()) {
                return new EnvironmentResult(env.id(), env.displayName(), env.endpoint().toString(), trials, resources, null, List.of(), null,
                        failure == null ? "cancelled before its load" : failure, env.networkPath(), capacity, busyNanos / 1e9);
            }
            LoadResult merged = LoadResults.merge(loads);
            return new EnvironmentResult(env.id(), env.displayName(), env.endpoint().toString(), trials, List.copyOf(resources), merged,
                    rounds, Summaries.of(trials, resources, merged, rounds), failure, env.networkPath(), capacity, busyNanos / 1e9);
        }
    }

    /** A measured load and the resource samples of its measured window. */
    private record Measured(LoadResult load, List<ResourcePoint> window) {
    }

    /**
     * Deploys and times the starts of each environment, then measures them in rounds, interleaved (A B C, A B C,
     * ...): each round isolates the environment, starts it if it was stopped, warms it up and loads it. An
     * environment that fails, or whose load breaks off, is reported and left out of later rounds; the others go on.
     */
    private void measureAll(RunPlan plan, Map<String, Measurement> measurements) {
        List<String> ids = plan.environments();
        int steps = ids.size() * (plan.rounds() + 1);
        int step = 0;
        for (String envId : ids) {
            Measurement m = measurements.get(envId);
            Progress p = new Progress(step++, steps);
            try {
                m.busy(() -> {
                    prepare(plan, m.env, p);
                    m.trials = trials(plan, m.env, p);
                });
                m.prepared = true;
            } catch (CancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                checkCancelled();
                m.failure = failed(m.env, e);
            }
        }
        if (plan.isCapacitySearch()) {
            for (String envId : ids) {
                Measurement m = measurements.get(envId);
                checkCancelled();
                if (m.active()) {
                    Progress p = new Progress(step++, steps);
                    m.busy(() -> searchCapacity(plan, m, p));
                }
            }
            return;
        }
        LoadProfile profile = plan.roundLoad();
        RoundsAuto auto = plan.auto();
        long roundsStarted = System.nanoTime();
        for (int round = 1; round <= plan.rounds(); round++) {
            if (auto != null && round > RoundsAuto.MIN_ROUNDS) {
                // Until stable: another round only while a headline figure of an environment still measured is wider than the target.
                boolean settled = ids.stream().map(measurements::get).filter(Measurement::active)
                        .allMatch(m -> auto.unsettled(m.rounds).isEmpty());
                if (settled) {
                    break;
                }
                if (auto.maxTime() != null && System.nanoTime() - roundsStarted > auto.maxTime().toNanos()) {
                    autoOutOfTime = true;
                    break;
                }
            }
            String of = auto != null ? " (round " + round + ", until stable: at most " + plan.rounds() + ")"
                    : plan.rounds() > 1 ? " (round " + round + " of " + plan.rounds() + ")" : "";
            for (String envId : ids) {
                Measurement m = measurements.get(envId);
                checkCancelled();
                if (!m.active()) {
                    continue;
                }
                Progress p = new Progress(step++, steps);
                long roundStarted = System.nanoTime();
                try {
                    isolate(plan, m.env);
                    if (round > 1) {
                        resetStore(m.env, p); // the previous round's uploads go, the dataset is whole again
                    }
                    m.ensureServing("round " + round, p);
                    dataset.verify(m.env, requests);
                    Measured measured = m.measure(plan, profile, of, p, round == 1);
                    LoadResult r = measured.load();
                    RoundFigures figures = RoundFigures.of(round, r, measured.window());
                    m.rounds.add(figures);
                    checkCancelled();
                    if (r.abortedBecause() != null) {
                        m.failure = brokeOff(m.env, r.abortedBecause());
                        bus.publish(new RunEvent.RunFailed(id, m.env.id(), m.failure));
                        stopQuietly(m.env);
                        continue;
                    }
                    m.rounds.set(m.rounds.size() - 1, figures.withOneInFlight(loadStep.latencyProbe(plan, m.env, round, p)));
                    checkCancelled();
                    coolDown(plan, m.env, p);
                } catch (CancelledException e) {
                    throw e;
                } catch (RuntimeException e) {
                    checkCancelled();
                    m.failure = failed(m.env, e);
                } finally {
                    m.busyNanos += System.nanoTime() - roundStarted;
                }
            }
        }
    }

    /**
     * A capacity search of one environment (issue 14): open-loop steps, each a warm-up and a measured window with CPU
     * and memory sampled, doubling then bisecting (see {@link CapacitySearch}). Each step is published as it ends;
     * its load is kept for the charts. A step whose load breaks off ends the environment's part, as a round's does.
     */
    private void searchCapacity(RunPlan plan, Measurement m, Progress progress) {
        CapacityPlan search = plan.capacity();
        try {
            isolate(plan, m.env);
            m.ensureServing("the capacity search", progress);
            warmUpForSearch(plan, m.env, progress);
            List<CapacityStep> done = new ArrayList<>();
            try {
                m.capacity = new CapacitySearch(search).run((index, stepPhase, rate) -> {
                    checkCancelled();
                    LoadProfile profile = LoadProfile.open(rate, search.connections(), search.window()).withWarmup(search.warmup())
                            .withMix(plan.load().mix()).withUploadBytes(plan.load().uploadBytes()).withRequestTimeout(plan.load().requestTimeout());
                    Measured step = m.measure(plan, profile,
                            String.format(Locale.ROOT, " (capacity step %d, %s, %,.0f/s)", index, stepPhase, rate), progress, false);
                    LoadResult r = step.load();
                    CapacityStep measured = CapacityStep.of(index, stepPhase, rate, search.objective(), r, step.window());
                    done.add(measured);
                    bus.publish(new RunEvent.CapacityStepMeasured(id, m.env.id(), measured));
                    checkCancelled();
                    if (r.abortedBecause() != null) {
                        throw new BrokeOff(r.abortedBecause());
                    }
                    return measured;
                });
            } catch (BrokeOff e) {
                // What was measured before is kept: the highest step that held, as a lower bound.
                CapacityStep best = done.stream().filter(CapacityStep::passed).reduce((a, b) -> b.targetRate() >= a.targetRate() ? b : a).orElse(null);
                m.capacity = new CapacityResult(search.objective().describe(), best == null ? Double.NaN : best.targetRate(),
                        best == null ? Double.NaN : best.achievedRate(), done, false, "The search broke off: " + e.getMessage() + ".");
                m.failure = brokeOff(m.env, e.getMessage());
                bus.publish(new RunEvent.RunFailed(id, m.env.id(), m.failure));
                stopQuietly(m.env);
                return;
            }
            if (m.capacity.generatorLimited()) {
                bus.publish(new RunEvent.RunFailed(id, m.env.id(), "the generator, not the server, was the limit: " + m.capacity.note()));
            }
            coolDown(plan, m.env, progress);
        } catch (CancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            checkCancelled();
            m.failure = failed(m.env, e);
        }
    }

    /**
     * Before a capacity search's first step: load at the start rate for three step warm-ups (at least 3 s), not
     * measured and not charted, so that a server just started (its JIT cold) does not fail the first step and cap
     * the search below what it sustains once warm.
     */
    private void warmUpForSearch(RunPlan plan, Environment env, Progress progress) {
        CapacityPlan search = plan.capacity();
        Duration length = search.warmup().multipliedBy(3).compareTo(Duration.ofSeconds(3)) < 0
                ? Duration.ofSeconds(3) : search.warmup().multipliedBy(3);
        phase(env, RunEvent.Phase.WARMUP, String.format(Locale.ROOT, "warm-up before the search, %d s at %,.0f/s",
                length.toSeconds(), search.startRate()), progress.at(0.2));
        LoadProfile warm = LoadProfile.open(search.startRate(), search.connections(), length).withMix(plan.load().mix())
                .withUploadBytes(plan.load().uploadBytes()).withRequestTimeout(plan.load().requestTimeout());
        LoadResult r = loadStep.generator(env, warm, plan.seed()).run(tick -> { }, () -> cancelled, () -> { });
        checkCancelled();
        if (r.abortedBecause() != null) {
            throw new BenchException(env.displayName() + " did not answer its warm-up: " + r.abortedBecause() + ". Check its card, then run again.");
        }
    }

    /** Sets the environment's store to exactly the run's dataset (the server stopped), when there is one and it can. */
    private void resetStore(Environment env, Progress progress) {
        if (dataset.applies(env)) {
            phase(env, RunEvent.Phase.DEPLOY, dataset.describe(), progress.at(0.05));
            LOG.info(env.id() + ": " + dataset.reset(env));
        }
    }

    /** Why an environment's load broke off, in words: what the generator saw, and what the environment says of itself. */
    private String brokeOff(Environment env, String why) {
        EnvironmentStatus status = env.status();
        String state = switch (status) {
            case EnvironmentStatus.Ready r -> "It answers again now; a restart or a stall interrupted it.";
            case EnvironmentStatus.Starting s -> "It is restarting: " + s.detail();
            default -> status.message();
        };
        return "the load broke off: " + why + ". " + state + " What was measured before is kept.";
    }

    private void prepare(RunPlan plan, Environment env, Progress progress) {
        phase(env, RunEvent.Phase.DEPLOY, "deploying build " + build.substring(0, Math.min(12, build.length())), progress.at(0));
        env.deploy(artifact);
        deployed.add(env.id());
        checkCancelled();
        isolate(plan, env);
        resetStore(env, progress);
        phase(env, RunEvent.Phase.START, "starting", progress.at(0.1));
        env.start();
        dataset.verify(env, requests);
        checkCancelled();
    }

    private List<StartupTrial> trials(RunPlan plan, Environment env, Progress progress) {
        if (plan.startupTrials() == 0) {
            return List.of();
        }
        phase(env, RunEvent.Phase.STARTUP_TRIALS, plan.startupTrials() + " restarts" + (plan.untilStable() ? ", until stable" : ""),
                progress.at(0.15));
        int[] n = {0};
        List<StartupTrial> trials = StartupProbe.measure(env, plan.startupTrials(), plan.untilStable(), plan.maxStartupTrials(),
                () -> cancelled, t -> bus.publish(new RunEvent.StartupMeasured(id, env.id(), ++n[0], t)));
        checkCancelled();
        return trials;
    }

    private void coolDown(RunPlan plan, Environment env, Progress progress) {
        if (plan.coolDown().isZero()) {
            return;
        }
        phase(env, RunEvent.Phase.COOL_DOWN, plan.coolDown().toSeconds() + " s", progress.at(0.95));
        try {
            Thread.sleep(plan.coolDown());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checkCancelled();
        }
    }

    /** Stops the other environments of the plan, so that they do not steal CPU from this one. */
    private void isolate(RunPlan plan, Environment measured) {
        if (!plan.isolate()) {
            return;
        }
        for (String other : plan.environments()) {
            if (!other.equals(measured.id())) {
                stopQuietly(environments.get(other));
            }
        }
    }

    /** Reports an environment that cannot be measured, stops it, and returns the reason for its result. */
    private String failed(Environment env, RuntimeException e) {
        String message = UserMessages.describe(e);
        bus.publish(new RunEvent.RunFailed(id, env.id(), message));
        stopQuietly(env);
        return message;
    }

    /**
     * Leaves every environment as it was found: serving ones serve again, the others are stopped, and a machine
     * the run booted is halted again.
     */
    private void restore(RunPlan plan, Map<String, Boolean> wasServing, Map<String, Boolean> machineWasUp) {
        for (String envId : plan.environments()) {
            Environment env = environments.get(envId);
            try {
                if (dataset.applies(env) && deployed.contains(envId)) {
                    LOG.info(envId + " after the run: " + dataset.reset(env)); // the load's uploads go
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not remove the load's uploads from " + envId, e);
            }
            try {
                if (Boolean.TRUE.equals(wasServing.get(envId))) {
                    if (!(env.status() instanceof EnvironmentStatus.Ready)) {
                        env.start();
                    }
                } else {
                    env.stop();
                    if (env instanceof MachineControl m && Boolean.FALSE.equals(machineWasUp.get(envId)) && m.isMachineUp()) {
                        m.haltMachine();
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not restore " + envId + " as it was found", e);
            }
        }
    }

    /**
     * Takes, for each environment, the lock of where it serves (its endpoint), in one order, so that two runs on this
     * machine (the dashboard's and the CLI's, two CLIs) never measure one server at once: the second waits, says for
     * whom, and goes on when the first is done. A port is the machine's, so the locks are too ({@link FileLocks#machineWide}).
     */
    private List<FileLocks.Held> lockEnvironments(RunPlan plan) {
        TreeMap<String, Environment> byResource = new TreeMap<>();
        for (String envId : plan.environments()) {
            Environment env = environments.get(envId);
            try {
                URI endpoint = env.endpoint();
                byResource.putIfAbsent(endpoint.getHost() + "-" + endpoint.getPort(), env);
            } catch (RuntimeException unavailable) {
                // an environment with no endpoint here (it cannot run) serves nothing to share
            }
        }
        List<FileLocks.Held> held = new ArrayList<>();
        try {
            for (var e : byResource.entrySet()) {
                checkCancelled();
                Environment env = e.getValue();
                held.add(FileLocks.acquire(FileLocks.machineWide("endpoint-" + e.getKey()),
                        "measuring " + env.displayName() + " (run " + id + ")",
                        holder -> phase(env, RunEvent.Phase.DEPLOY, "waiting for another run that measures " + env.endpoint() + " (" + holder
                                + ") to finish", 0)));
            }
            return held;
        } catch (RuntimeException e) {
            held.reversed().forEach(FileLocks.Held::close);
            checkCancelled();
            throw e;
        }
    }

    private static void stopQuietly(Environment env) {
        try {
            env.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not stop " + env.id(), e);
        }
    }

    private void phase(Environment env, RunEvent.Phase phase, String detail, double progress) {
        bus.publish(new RunEvent.PhaseStarted(id, env.id(), phase, detail, progress, Instant.now()));
    }

    private void checkCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** Where one environment's work sits in the whole run. */
    record Progress(int index, int count) {
        double at(double withinEnvironment) {
            return (index + withinEnvironment) / count;
        }
    }

    /** A capacity step's load broke off: the environment's search ends, with what it measured. */
    private static final class BrokeOff extends RuntimeException {
        BrokeOff(String why) {
            super(why, null, false, false);
        }
    }

    /** Unwinds a cancelled run. */
    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
