package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadTick;

import java.time.Instant;

import org.gallerybench.environments.ResourceSample;

/**
 * What a run publishes as it goes. The engine publishes; the UI, the CLI, the history and the reports subscribe,
 * each on its own thread: the engine never waits on a subscriber.
 */
public sealed interface RunEvent {

    /** The run's id. */
    String runId();

    /** The phases of one environment's measurement. */
    /** LATENCY: after each round's load, GET / with one request in flight (request/response latency). */
    enum Phase { DEPLOY, START, STARTUP_TRIALS, WARMUP, LOAD, LATENCY, COOL_DOWN }

    record RunStarted(String runId, RunPlan plan, Instant time) implements RunEvent {
    }

    /**
     * A phase began.
     *
     * @param progress the whole run's progress at this point, 0 to 1
     */
    record PhaseStarted(String runId, String environment, Phase phase, String detail, double progress, Instant time) implements RunEvent {
    }

    record StartupMeasured(String runId, String environment, int trial, StartupTrial timing) implements RunEvent {
    }

    record ResourceSampled(String runId, String environment, ResourceSample sample) implements RunEvent {
    }

    record LoadTicked(String runId, String environment, LoadTick tick) implements RunEvent {
    }

    record EnvironmentFinished(String runId, EnvironmentResult result) implements RunEvent {
    }

    /** A capacity search finished a step: drawn live on the latency-versus-throughput chart. */
    record CapacityStepMeasured(String runId, String environment, CapacityStep step) implements RunEvent {
    }

    record RunFinished(String runId, RunResult result) implements RunEvent {
    }

    /** The run could not go on; {@code environment} is null when the failure was not one environment's. */
    record RunFailed(String runId, String environment, String message) implements RunEvent {
    }

    record RunCancelled(String runId, Instant time) implements RunEvent {
    }
}
