package org.gallerybench.engine.run;

import java.time.Duration;
import java.util.Locale;

/**
 * How a capacity search runs (issue 14): open-loop steps at a target rate, each with a short warm-up and a measured
 * window, doubling from {@code startRate} until the objective fails, then bisecting between the last passing and
 * the first failing rate until they are within {@code precision} of each other.
 *
 * @param objective   what every step is held to
 * @param startRate   the first step's rate, requests per second
 * @param maxRate     the search never asks for more (a ceiling for the generator, not a result)
 * @param warmup      each step's warm-up, thrown away
 * @param window      each step's measured window
 * @param precision   bisection ends when the failing rate is within this fraction above the passing one (0.05)
 * @param connections the open loop's connections: enough that a healthy server never keeps them all busy
 * @param maxSteps    a bound on the steps per environment
 */
public record CapacityPlan(Objective objective, double startRate, double maxRate, Duration warmup, Duration window, double precision,
                           int connections, int maxSteps) {

    public CapacityPlan {
        if (!(startRate >= 1) || !(maxRate >= startRate)) {
            throw new IllegalArgumentException("the start rate must be at least 1/s and at most the highest rate");
        }
        if (window.toMillis() < 500) {
            throw new IllegalArgumentException("a step's measured window must be at least 0.5 s, got " + window.toMillis() + " ms");
        }
        if (!(precision > 0 && precision < 1)) {
            throw new IllegalArgumentException("the precision is a fraction between 0 and 1, e.g. 0.05");
        }
        if (connections < 1 || maxSteps < 2) {
            throw new IllegalArgumentException("a search needs connections and at least 2 steps");
        }
    }

    /** Steps of 2 s warm-up and {@code window} measured, from 50/s, to within 5 %, on 128 connections, at most 24 steps. */
    public static CapacityPlan of(Objective objective, Duration window) {
        return new CapacityPlan(objective, 50, 200_000, Duration.ofSeconds(2), window, 0.05, 128, 24);
    }

    public CapacityPlan withStartRate(double rate) {
        return new CapacityPlan(objective, rate, Math.max(maxRate, rate), warmup, window, precision, connections, maxSteps);
    }

    public CapacityPlan withWarmup(Duration w) {
        return new CapacityPlan(objective, startRate, maxRate, w, window, precision, connections, maxSteps);
    }

    public CapacityPlan withConnections(int n) {
        return new CapacityPlan(objective, startRate, maxRate, warmup, window, precision, n, maxSteps);
    }

    /** "p99 < 50 ms; steps of 2 s + 10 s from 50/s, to within 5 %". */
    public String describe() {
        return objective.describe() + ", errors ≤ " + trim(objective.errorPercent()) + " %; open-loop steps of " + warmup.toSeconds() + " s warm-up + "
                + window.toMillis() / 1000.0 + " s from " + trim(startRate) + "/s, doubling, then bisection to within "
                + trim(precision * 100) + " %";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
