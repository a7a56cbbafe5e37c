package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadGenerator;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadResult;
import org.gallerybench.engine.load.Requests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import java.util.Collections;

/**
 * One load of one environment as the run measures it, whether a comparison's round or a capacity search's step: its
 * warm-up and measured window from the {@link LoadGenerator}, CPU and memory sampled all along, every tick and sample
 * published as it comes. And the latency probe that ends a round (GET / with one request in flight).
 */
final class LoadStep {
    private static final Logger LOG = Logger.getLogger(LoadStep.class.getName());

    private final String runId;
    private final EventBus bus;
    private final BooleanSupplier cancelled;
    private volatile Requests requests = Requests.GALLERY;
    private volatile List<String> storedNames = List.of();

    LoadStep(String runId, EventBus bus, BooleanSupplier cancelled) {
        this.runId = runId;
        this.bus = bus;
        this.cancelled = cancelled;
    }

    /** The app's requests, and the stored images' names when it lists none of its own (the run's dataset). */
    void app(Requests app, List<String> names) {
        this.requests = app;
        this.storedNames = List.copyOf(names);
    }

    /** A generator for this app: its requests, its stored names, the run's seed. */
    LoadGenerator generator(Environment env, LoadProfile profile, long seed) {
        return new LoadGenerator(env.endpoint(), profile, seed, requests, storedNames);
    }

    /**
     * The warm-up and load, with CPU and memory sampled all along into {@code resources}; sample times are relative to
     * the measured window's start (negative during warm-up). {@code of} names the step for the phase line. Every sample
     * and tick is published with its place on the environment's running axis: {@code offset} seconds of load before
     * this one ({@code round}: which load this is, from 1), its warm-up drawn only when {@code withWarmup} (the first).
     */
    LoadResult run(RunPlan plan, Environment env, LoadProfile profile, String of, ComparisonRun.Progress progress,
                   List<ResourcePoint> resources, int round, double offset, boolean withWarmup) {
        phase(env, profile.warmup().isZero() ? RunEvent.Phase.LOAD : RunEvent.Phase.WARMUP,
                (profile.warmup().isZero() ? profile.describe() : "warm-up, " + profile.warmup().toSeconds() + " s") + of, progress.at(0.3));
        Instant[] measuredFrom = {Instant.now().plus(profile.warmup())};
        List<ResourceSample> raw = Collections.synchronizedList(new ArrayList<>());
        SampleStream samples = env.openSampler(plan.sampleInterval());
        Thread reader = Thread.ofVirtual().name("samples-" + env.id()).start(() -> {
            try {
                while (!samples.isClosed()) {
                    samples.poll(Duration.ofMillis(500)).ifPresent(s -> {
                        raw.add(s);
                        double seconds = Duration.between(measuredFrom[0], s.time()).toNanos() / 1e9;
                        bus.publish(new RunEvent.ResourceSampled(runId, env.id(), s, position(round, offset, seconds, profile, withWarmup)));
                    });
                }
            } catch (InterruptedException ignored) {
                // closing
            }
        });
        LoadResult result;
        try {
            result = generator(env, profile, plan.seed()).run(
                    tick -> bus.publish(new RunEvent.LoadTicked(runId, env.id(), tick, new RunEvent.Position(round, offset + tick.second()))),
                    cancelled,
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
    LoadResult latencyProbe(RunPlan plan, Environment env, int round, ComparisonRun.Progress progress) {
        LoadProfile probe = plan.latencyProbe();
        phase(env, RunEvent.Phase.LATENCY, "GET / with 1 in flight, " + probe.duration().toMillis() / 1000.0 + " s"
                + (plan.rounds() > 1 ? " (round " + round + " of " + plan.rounds() + ")" : ""), progress.at(0.9));
        try {
            LoadResult r = generator(env, probe, plan.seed()).run(tick -> { }, cancelled, () -> { });
            if (r.abortedBecause() != null) {
                LOG.info(env.id() + ": the latency probe broke off: " + r.abortedBecause());
            }
            return r;
        } catch (RuntimeException e) {
            LOG.info(env.id() + ": the latency probe failed: " + e.getMessage());
            return null;
        }
    }

    /**
     * Where a sample taken {@code seconds} after the window's start is drawn: within the window, after the loads before
     * it; before 0 during the first load's warm-up; otherwise (a later warm-up, after the window) not drawn, as
     * {@code Measurement.keep} leaves it out of the run's stored series too.
     */
    static RunEvent.Position position(int round, double offset, double seconds, LoadProfile profile, boolean withWarmup) {
        if (seconds >= 0 && seconds <= profile.duration().toNanos() / 1e9 + 0.5) {
            return new RunEvent.Position(round, offset + seconds);
        }
        return seconds < 0 && withWarmup ? new RunEvent.Position(round, seconds) : RunEvent.Position.notDrawn(round);
    }

    private void phase(Environment env, RunEvent.Phase phase, String detail, double progress) {
        bus.publish(new RunEvent.PhaseStarted(runId, env.id(), phase, detail, progress, Instant.now()));
    }
}
