package org.gallerybench.dashboard.bench;

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
    private volatile boolean cancelled;
    private volatile Thread runner;

    public ComparisonRun(RunPlan plan, Map<String, Environment> environments, ServerArtifact artifact, EventBus bus) {
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

    /** Runs the plan on the calling thread and returns what was measured. */
    public RunResult run() {
        runner = Thread.currentThread();
        Instant started = Instant.now();
        bus.publish(new RunEvent.RunStarted(id, plan, started));
        Map<String, Boolean> wasServing = new HashMap<>();
        for (String env : plan.environments()) {
            wasServing.put(env, environments.get(env).status() instanceof EnvironmentStatus.Ready);
        }
        List<EnvironmentResult> results = new ArrayList<>();
        RunResult.Status status = RunResult.Status.COMPLETED;
        List<String> warnings = new ArrayList<>();
        try {
            if (plan.interleaved()) {
                results.addAll(interleaved());
            } else {
                for (int i = 0; i < plan.environments().size() && !cancelled; i++) {
                    results.add(measure(plan.environments().get(i), i));
                }
            }
            if (cancelled) {
                status = RunResult.Status.CANCELLED;
            }
        } catch (RuntimeException e) {
            status = cancelled ? RunResult.Status.CANCELLED : RunResult.Status.FAILED;
            if (!cancelled) {
                LOG.log(Level.WARNING, "The run failed", e);
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                warnings.add("The run failed: " + message);
                bus.publish(new RunEvent.RunFailed(id, null, message));
            }
        } finally {
            runner = null;
            Thread.interrupted(); // a cancel's interrupt has done its work: clean up without it, and do not leak it to the caller
            restore(wasServing);
        }
        for (EnvironmentResult r : results) {
            if (r.failure() != null) {
                warnings.add(r.displayName() + " was not measured: " + r.failure());
            } else if (r.load() != null) {
                r.load().warnings().forEach(w -> warnings.add(r.displayName() + ": " + w));
            }
        }
        if (status == RunResult.Status.COMPLETED && results.stream().noneMatch(EnvironmentResult::measured)) {
            status = RunResult.Status.FAILED;
        }
        RunResult result = new RunResult(id, plan.label(), status, started, Instant.now(), plan, RunResult.Machine.current(), List.copyOf(results),
                Comparisons.compute(plan.baseline(), results), List.copyOf(warnings));
        if (status == RunResult.Status.CANCELLED) {
            bus.publish(new RunEvent.RunCancelled(id, Instant.now()));
        }
        bus.publish(new RunEvent.RunFinished(id, result));
        return result;
    }

    private EnvironmentResult measure(String envId, int index) {
        Environment env = environments.get(envId);
        Progress progress = new Progress(index, plan.environments().size());
        try {
            prepare(env, progress);
            List<StartupTrial> trials = trials(env, progress);
            List<ResourcePoint> resources = new ArrayList<>();
            LoadResult load = load(env, plan.load(), progress, resources, 0);
            coolDown(env, progress);
            EnvironmentResult result = new EnvironmentResult(envId, env.displayName(), env.endpoint().toString(), trials, resources, load,
                    Summaries.of(trials, resources, load), null);
            bus.publish(new RunEvent.EnvironmentFinished(id, result));
            return result;
        } catch (EnvironmentException | IllegalStateException e) {
            if (cancelled) {
                throw new CancelledException();
            }
            return failed(env, e);
        }
    }

    private List<EnvironmentResult> interleaved() {
        Map<String, List<StartupTrial>> trials = new LinkedHashMap<>();
        Map<String, List<ResourcePoint>> resources = new LinkedHashMap<>();
        Map<String, List<LoadResult>> rounds = new LinkedHashMap<>();
        Map<String, EnvironmentResult> failures = new LinkedHashMap<>();
        List<String> ids = plan.environments();
        int steps = ids.size() * (plan.rounds() + 1);
        int step = 0;
        for (String envId : ids) {
            Environment env = environments.get(envId);
            try {
                Progress p = new Progress(step++, steps);
                prepare(env, p);
                trials.put(envId, trials(env, p));
                resources.put(envId, new ArrayList<>());
                rounds.put(envId, new ArrayList<>());
            } catch (EnvironmentException | IllegalStateException e) {
                if (cancelled) {
                    throw new CancelledException();
                }
                failures.put(envId, failed(env, e));
            }
        }
        Duration slice = plan.load().duration().dividedBy(plan.rounds());
        for (int round = 0; round < plan.rounds() && !cancelled; round++) {
            List<String> order = new ArrayList<>(rounds.keySet());
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String envId : order) {
                if (cancelled || failures.containsKey(envId)) {
                    continue;
                }
                Environment env = environments.get(envId);
                Progress p = new Progress(step++, steps);
                try {
                    isolate(env);
                    env.start();
                    LoadProfile profile = plan.load().withDuration(slice).withWarmup(round == 0 ? plan.load().warmup() : Duration.ZERO);
                    double offset = rounds.get(envId).stream().mapToDouble(LoadResult::seconds).sum();
                    rounds.get(envId).add(load(env, profile, p, resources.get(envId), offset));
                    coolDown(env, p);
                } catch (EnvironmentException | IllegalStateException e) {
                    if (cancelled) {
                        throw new CancelledException();
                    }
                    failures.put(envId, failed(env, e));
                }
            }
        }
        List<EnvironmentResult> out = new ArrayList<>();
        for (String envId : ids) {
            if (failures.containsKey(envId)) {
                out.add(failures.get(envId));
                continue;
            }
            if (rounds.get(envId).isEmpty()) {
                continue;
            }
            Environment env = environments.get(envId);
            LoadResult merged = LoadResults.merge(rounds.get(envId));
            EnvironmentResult r = new EnvironmentResult(envId, env.displayName(), env.endpoint().toString(), trials.get(envId),
                    resources.get(envId), merged, Summaries.of(trials.get(envId), resources.get(envId), merged), null);
            bus.publish(new RunEvent.EnvironmentFinished(id, r));
            out.add(r);
        }
        return out;
    }

    private void prepare(Environment env, Progress progress) {
        phase(env, RunEvent.Phase.DEPLOY, "deploying build " + artifact.shortDigest(), progress.at(0));
        env.deploy(artifact);
        checkCancelled();
        isolate(env);
        phase(env, RunEvent.Phase.START, "starting", progress.at(0.1));
        env.start();
        checkCancelled();
    }

    private List<StartupTrial> trials(Environment env, Progress progress) {
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

    /** Warm-up and load, with CPU and memory sampled all along; sample times are relative to the measured phase's start. */
    private LoadResult load(Environment env, LoadProfile profile, Progress progress, List<ResourcePoint> resources, double offsetSeconds) {
        phase(env, profile.warmup().isZero() ? RunEvent.Phase.LOAD : RunEvent.Phase.WARMUP,
                profile.warmup().isZero() ? profile.describe() : "warm-up, " + profile.warmup().toSeconds() + " s", progress.at(0.3));
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
            result = new LoadGenerator(env.endpoint(), profile).run(
                    tick -> bus.publish(new RunEvent.LoadTicked(id, env.id(), tick)),
                    () -> cancelled,
                    () -> {
                        measuredFrom[0] = Instant.now();
                        if (!profile.warmup().isZero()) {
                            phase(env, RunEvent.Phase.LOAD, profile.describe(), progress.at(0.4));
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
                double seconds = Duration.between(measuredFrom[0], s.time()).toNanos() / 1e9;
                resources.add(ResourcePoint.of(s, seconds < 0 ? seconds : seconds + offsetSeconds));
            }
        }
        samples.failure().ifPresent(f -> LOG.info("Sampling " + env.id() + " ended early: " + f.getMessage()));
        checkCancelled();
        return result;
    }

    private void coolDown(Environment env, Progress progress) {
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
    private void isolate(Environment measured) {
        if (!plan.isolate()) {
            return;
        }
        for (String other : plan.environments()) {
            if (!other.equals(measured.id())) {
                stopQuietly(environments.get(other));
            }
        }
    }

    private EnvironmentResult failed(Environment env, RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        bus.publish(new RunEvent.RunFailed(id, env.id(), message));
        stopQuietly(env);
        return new EnvironmentResult(env.id(), env.displayName(), env.endpoint().toString(), List.of(), List.of(), null, null, message);
    }

    /** Leaves every environment as it was found: serving ones serve again, the others are stopped. */
    private void restore(Map<String, Boolean> wasServing) {
        for (String envId : plan.environments()) {
            Environment env = environments.get(envId);
            try {
                if (Boolean.TRUE.equals(wasServing.get(envId))) {
                    if (!(env.status() instanceof EnvironmentStatus.Ready)) {
                        env.start();
                    }
                } else {
                    env.stop();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Could not restore " + envId, e);
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

    /** Unwinds a cancelled run. */
    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }
}
