package org.gallerybench.engine.bench;

import java.time.Duration;
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
import org.gallerybench.environments.MachineControl;
import org.gallerybench.environments.StoreControl;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;

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
    private final java.nio.file.Path cacheRoot;
    private volatile boolean cancelled;
    private volatile Thread runner;
    private org.gallerybench.environments.Dataset dataset;
    private final java.util.Set<String> deployed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ComparisonRun(RunPlan plan, Map<String, Environment> environments, ServerArtifact artifact, EventBus bus) {
        this(plan, environments, artifact, bus, AppPaths.cacheHome());
    }

    /** As above, with the folder the run's dataset is made in and cached. */
    public ComparisonRun(RunPlan plan, Map<String, Environment> environments, ServerArtifact artifact, EventBus bus, java.nio.file.Path cacheRoot) {
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
        RunPlan plan = this.plan.seed() != 0 ? this.plan : this.plan.withSeed(new java.util.SplittableRandom().nextLong() | 1);
        bus.publish(new RunEvent.RunStarted(id, plan, started));
        java.util.concurrent.CompletableFuture<RunResult.Machine> machine = java.util.concurrent.CompletableFuture.supplyAsync(
                RunResult.Machine::current, r -> Thread.ofVirtual().name("fingerprint").start(r));
        Map<String, Boolean> wasServing = new HashMap<>();
        Map<String, Boolean> machineWasUp = new HashMap<>();
        for (String env : plan.environments()) {
            Environment e = environments.get(env);
            wasServing.put(env, e.status() instanceof EnvironmentStatus.Ready);
            if (e instanceof MachineControl m) {
                machineWasUp.put(env, m.isMachineUp());
            }
        }
        Map<String, Measurement> measurements = new LinkedHashMap<>();
        plan.environments().forEach(env -> measurements.put(env, new Measurement(environments.get(env))));
        RunResult.Status status = RunResult.Status.COMPLETED;
        List<String> warnings = new ArrayList<>();
        try {
            if (plan.datasetSize() > 0) {
                try {
                    dataset = org.gallerybench.environments.Dataset.ensure(cacheRoot, org.gallerybench.environments.Dataset.GALLERY_SEED,
                            plan.datasetSize());
                } catch (java.io.UncheckedIOException e) {
                    throw new BenchException("Cannot make the benchmark's " + plan.datasetSize() + " images: " + e.getMessage()
                            + ". Free some disk space, or set GALLERYBENCH_CACHE to another folder.", e);
                }
            }
            measureAll(plan, measurements);
        } catch (CancelledException e) {
            status = RunResult.Status.CANCELLED;
        } catch (RuntimeException e) {
            status = cancelled ? RunResult.Status.CANCELLED : RunResult.Status.FAILED;
            if (!cancelled) {
                LOG.log(Level.WARNING, "The run failed", e);
                String message = UserMessages.describe(e);
                warnings.add("The run failed: " + message);
                bus.publish(new RunEvent.RunFailed(id, null, message));
            }
        } finally {
            runner = null;
            Thread.interrupted(); // a cancel's interrupt has done its work: clean up without it, and do not leak it to the caller
            restore(plan, wasServing, machineWasUp);
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
            if (r.failure() != null) {
                warnings.add(r.displayName() + (r.hasData() ? ": " : " was not measured: ") + r.failure());
            }
            if (r.capacity() != null && r.capacity().generatorLimited()) {
                warnings.add(r.displayName() + ": the generator, not the server, was the limit. " + r.capacity().note());
            }
            if (r.load() != null && r.capacity() == null) {
                r.load().warnings().forEach(w -> warnings.add(r.displayName() + ": " + w));
                if (r.load().errors() > 0) {
                    warnings.add(r.displayName() + ": " + r.load().errors() + " requests failed: " + r.load().describeErrors());
                }
            }
        }
        RunResult.Machine where = machine.exceptionally(e -> RunResult.Machine.basic()).join();
        for (EnvironmentResult r : results) {
            if (environments.get(r.environment()) instanceof MachineControl && !where.kvmUsable()) {
                warnings.add(0, r.displayName() + ": " + Fingerprint.EMULATION_WARNING + ". KVM " + where.kvm() + ".");
            }
        }
        if (status == RunResult.Status.COMPLETED && results.stream().noneMatch(EnvironmentResult::hasData)) {
            status = RunResult.Status.FAILED;
        }
        RunResult result = new RunResult(id, plan.label(), status, started, Instant.now(), plan, artifact.digest(), where,
                dataset == null ? null : DatasetInfo.of(dataset), List.copyOf(results),
                Comparisons.compute(plan.baseline(), results), Comparisons.best(results), List.copyOf(warnings));
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

        /** The result so far; null for an environment the run never reached. */
        EnvironmentResult result(RunPlan plan) {
            if (!prepared && failure == null) {
                return null;
            }
            if (loads.isEmpty()) {
                return new EnvironmentResult(env.id(), env.displayName(), env.endpoint().toString(), trials, resources, null, List.of(), null,
                        failure == null ? "cancelled before its load" : failure, env.networkPath(), capacity);
            }
            LoadResult merged = LoadResults.merge(loads);
            return new EnvironmentResult(env.id(), env.displayName(), env.endpoint().toString(), trials, List.copyOf(resources), merged,
                    rounds, Summaries.of(trials, resources, merged, rounds), failure, env.networkPath(), capacity);
        }
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
                prepare(plan, m.env, p);
                m.trials = trials(plan, m.env, p);
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
                    searchCapacity(plan, m, new Progress(step++, steps));
                }
            }
            return;
        }
        LoadProfile profile = plan.roundLoad();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (String envId : ids) {
                Measurement m = measurements.get(envId);
                checkCancelled();
                if (!m.active()) {
                    continue;
                }
                Progress p = new Progress(step++, steps);
                try {
                    isolate(plan, m.env);
                    if (round > 1) {
                        resetStore(m.env, p); // the previous round's uploads go, the dataset is whole again
                    }
                    if (!(m.env.status() instanceof EnvironmentStatus.Ready)) {
                        phase(m.env, RunEvent.Phase.START, "starting for round " + round, p.at(0.1));
                        m.env.start();
                    }
                    verifyDataset(m.env);
                    double offset = m.loads.stream().mapToDouble(LoadResult::seconds).sum();
                    List<ResourcePoint> points = new ArrayList<>();
                    LoadResult r = load(plan, m.env, profile, round, p, points);
                    m.keep(points, offset, round == 1);
                    m.loads.add(r);
                    RoundFigures figures = RoundFigures.of(round, r, points.stream().filter(x -> x.seconds() >= 0 && x.seconds() <= r.seconds() + 1).toList());
                    m.rounds.add(figures);
                    checkCancelled();
                    if (r.abortedBecause() != null) {
                        m.failure = brokeOff(m.env, r.abortedBecause());
                        bus.publish(new RunEvent.RunFailed(id, m.env.id(), m.failure));
                        stopQuietly(m.env);
                        continue;
                    }
                    m.rounds.set(m.rounds.size() - 1, figures.withOneInFlight(latencyProbe(plan, m.env, round, p)));
                    checkCancelled();
                    coolDown(plan, m.env, p);
                } catch (CancelledException e) {
                    throw e;
                } catch (RuntimeException e) {
                    checkCancelled();
                    m.failure = failed(m.env, e);
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
            if (!(m.env.status() instanceof EnvironmentStatus.Ready)) {
                phase(m.env, RunEvent.Phase.START, "starting for the capacity search", progress.at(0.1));
                m.env.start();
            }
            warmUpForSearch(plan, m.env, progress);
            List<CapacityStep> done = new ArrayList<>();
            try {
                m.capacity = new CapacitySearch(search).run((index, stepPhase, rate) -> {
                    checkCancelled();
                    LoadProfile profile = LoadProfile.open(rate, search.connections(), search.window()).withWarmup(search.warmup())
                            .withMix(plan.load().mix()).withUploadBytes(plan.load().uploadBytes()).withRequestTimeout(plan.load().requestTimeout());
                    double offset = m.loads.stream().mapToDouble(LoadResult::seconds).sum();
                    List<ResourcePoint> points = new ArrayList<>();
                    LoadResult r = load(plan, m.env, profile, index, progress, points,
                            String.format(java.util.Locale.ROOT, " (capacity step %d, %s, %,.0f/s)", index, stepPhase, rate));
                    m.keep(points, offset, false);
                    m.loads.add(r);
                    CapacityStep measured = CapacityStep.of(index, stepPhase, rate, search.objective(), r,
                            points.stream().filter(x -> x.seconds() >= 0 && x.seconds() <= r.seconds() + 1).toList());
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
        java.time.Duration length = search.warmup().multipliedBy(3).compareTo(java.time.Duration.ofSeconds(3)) < 0
                ? java.time.Duration.ofSeconds(3) : search.warmup().multipliedBy(3);
        phase(env, RunEvent.Phase.WARMUP, String.format(java.util.Locale.ROOT, "warm-up before the search, %d s at %,.0f/s",
                length.toSeconds(), search.startRate()), progress.at(0.2));
        LoadProfile warm = LoadProfile.open(search.startRate(), search.connections(), length).withMix(plan.load().mix())
                .withUploadBytes(plan.load().uploadBytes()).withRequestTimeout(plan.load().requestTimeout());
        LoadResult r = new LoadGenerator(env.endpoint(), warm, plan.seed()).run(tick -> { }, () -> cancelled, () -> { });
        checkCancelled();
        if (r.abortedBecause() != null) {
            throw new BenchException(env.displayName() + " did not answer its warm-up: " + r.abortedBecause() + ". Check its card, then run again.");
        }
    }

    /** Sets the environment's store to exactly the run's dataset (the server stopped), when there is one and it can. */
    private void resetStore(Environment env, Progress progress) {
        if (dataset != null && env instanceof StoreControl store) {
            phase(env, RunEvent.Phase.DEPLOY, "setting its gallery to the run's " + dataset.count() + " images", progress.at(0.05));
            LOG.info(env.id() + ": " + store.resetStore(dataset));
        }
    }

    /**
     * Proves, before a load, that the environment serves exactly the run's dataset: the total of /api/images and a
     * digest of its names. An environment serving anything else is not measured.
     */
    private void verifyDataset(Environment env) {
        if (dataset == null || !(env instanceof StoreControl)) {
            return;
        }
        List<String> names = Workload.servedNames(env.endpoint());
        String digest = org.gallerybench.environments.Dataset.namesDigest(names);
        if (names.size() != dataset.count() || !digest.equals(dataset.namesDigest())) {
            throw new BenchException(env.displayName() + " serves " + names.size() + " images (names digest " + digest.substring(0, 12)
                    + "), not the run's " + dataset.count() + " (" + dataset.namesDigest().substring(0, 12) + "): its gallery could not be set."
                    + " Check that nothing else writes to its store, then run again.");
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
        phase(env, RunEvent.Phase.DEPLOY, "deploying build " + artifact.shortDigest(), progress.at(0));
        env.deploy(artifact);
        deployed.add(env.id());
        checkCancelled();
        isolate(plan, env);
        resetStore(env, progress);
        phase(env, RunEvent.Phase.START, "starting", progress.at(0.1));
        env.start();
        verifyDataset(env);
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

    /**
     * One round's warm-up and load, with CPU and memory sampled all along; sample times are relative to the
     * measured window's start (negative during warm-up).
     */
    private LoadResult load(RunPlan plan, Environment env, LoadProfile profile, int round, Progress progress, List<ResourcePoint> resources) {
        return load(plan, env, profile, round, progress, resources, plan.rounds() > 1 ? " (round " + round + " of " + plan.rounds() + ")" : "");
    }

    private LoadResult load(RunPlan plan, Environment env, LoadProfile profile, int round, Progress progress, List<ResourcePoint> resources,
                            String of) {
        phase(env, profile.warmup().isZero() ? RunEvent.Phase.LOAD : RunEvent.Phase.WARMUP,
                (profile.warmup().isZero() ? profile.describe() : "warm-up, " + profile.warmup().toSeconds() + " s") + of, progress.at(0.3));
        Instant[] measuredFrom = {Instant.now().plus(profile.warmup())};
        List<ResourceSample> raw = java.util.Collections.synchronizedList(new ArrayList<>());
        SampleStream samples = env.openSampler(plan.sampleInterval());
        Thread reader = Thread.ofVirtual().name("samples-" + env.id()).start(() -> {
            try {
                while (!samples.isClosed()) {
                    samples.poll(Duration.ofMillis(500)).ifPresent(s -> {
                        raw.add(s);
                        bus.publish(new RunEvent.ResourceSampled(id, env.id(), s));
                    });
                }
            } catch (InterruptedException ignored) {
                // closing
            }
        });
        LoadResult result;
        try {
            result = new LoadGenerator(env.endpoint(), profile, plan.seed()).run(
                    tick -> bus.publish(new RunEvent.LoadTicked(id, env.id(), tick)),
                    () -> cancelled,
                    () -> {
                        measuredFrom[0] = Instant.now();
                        if (!profile.warmup().isZero()) {
                            phase(env, RunEvent.Phase.LOAD, profile.describe() + of, progress.at(0.4));
                        }
                    });
        } finally {
            samples.close();
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (raw) {
            for (ResourceSample s : raw) {
                resources.add(ResourcePoint.of(s, Duration.between(measuredFrom[0], s.time()).toNanos() / 1e9));
            }
        }
        samples.failure().ifPresent(f -> LOG.info("Sampling " + env.id() + " ended early: " + f.getMessage()));
        return result; // the caller keeps it, then checks for a cancel: a cancelled round's partial load is kept
    }

    /**
     * GET / with one request in flight after the round's load: request/response latency. Its traffic is neither
     * charted nor counted in the round's throughput; a probe that fails leaves the figure out, not the round.
     */
    private LoadResult latencyProbe(RunPlan plan, Environment env, int round, Progress progress) {
        LoadProfile probe = plan.latencyProbe();
        phase(env, RunEvent.Phase.LATENCY, "GET / with 1 in flight, " + probe.duration().toMillis() / 1000.0 + " s"
                + (plan.rounds() > 1 ? " (round " + round + " of " + plan.rounds() + ")" : ""), progress.at(0.9));
        try {
            LoadResult r = new LoadGenerator(env.endpoint(), probe, plan.seed()).run(tick -> { }, () -> cancelled, () -> { });
            if (r.abortedBecause() != null) {
                LOG.info(env.id() + ": the latency probe broke off: " + r.abortedBecause());
            }
            return r;
        } catch (RuntimeException e) {
            LOG.info(env.id() + ": the latency probe failed: " + e.getMessage());
            return null;
        }
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
                if (dataset != null && env instanceof StoreControl store && deployed.contains(envId)) {
                    LOG.info(envId + " after the run: " + store.resetStore(dataset)); // the load's uploads go
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
    private record Progress(int index, int count) {
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
