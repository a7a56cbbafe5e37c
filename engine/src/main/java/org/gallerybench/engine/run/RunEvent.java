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

    /**
     * Where a sample belongs on its environment's running time axis, as the engine decides it once for every front end
     * (issue 34): the load's round (or capacity step) it came in, and its position in seconds, the loads before it laid
     * end to end (a first load's warm-up is drawn before 0; a later one's, and a sample past its window, are not drawn:
     * NaN). A chart draws {@code seconds} and infers nothing from the order of events.
     */
    record Position(int round, double seconds) {
        public static Position notDrawn(int round) {
            return new Position(round, Double.NaN);
        }

        public boolean drawn() {
            return !Double.isNaN(seconds);
        }
    }

    /** A CPU and memory reading; {@code at} says where it is drawn, if at all (it always shows on the card). */
    record ResourceSampled(String runId, String environment, ResourceSample sample, Position at) implements RunEvent {
    }

    /** One second of load, drawn at {@code at}. */
    record LoadTicked(String runId, String environment, LoadTick tick, Position at) implements RunEvent {
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
