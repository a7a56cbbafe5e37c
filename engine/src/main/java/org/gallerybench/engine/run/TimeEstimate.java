package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.setup.EnvironmentKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long a plan will take on this machine, per environment and in all, from what this machine measured before.
 * Each environment's time is its load (warm-ups, measured windows, latency probes, cool-downs: fixed by the plan) plus
 * its overhead (deploy, store resets, starts, timed restarts), which is what differs between a process and an
 * emulated VM by a factor of fifty. The overhead is learned per environment from earlier runs' recorded time
 * ({@link EnvironmentResult#busySeconds()}), as seconds per step (the preparation, each timed start, each round); an
 * environment never measured here gets a default for its kind.
 *
 * @param total          the whole plan
 * @param perEnvironment each environment's share, in the plan's order
 * @param learnedFrom    how many earlier runs the overheads come from (0: defaults only)
 */
public record TimeEstimate(Duration total, Map<String, Duration> perEnvironment, int learnedFrom) {

    /** Seconds of overhead per step for a kind never measured here: a process, a container, a sandbox, an emulated VM. */
    static double defaultStepSeconds(String environment) {
        return EnvironmentKind.of(environment).map(kind -> switch (kind) {
            case LOCAL -> 1.5;
            case DOCKER -> 3.0;
            case GVISOR -> 5.0;
            case VM -> 25.0;
        }).orElse(5.0);
    }

    /** At most this many earlier runs are read: the machine's recent behaviour is what counts. */
    public static final int RECENT_RUNS = 12;

    /** The estimate of {@code plan}, learning each environment's overhead from {@code past} runs (newest first). */
    public static TimeEstimate of(RunPlan plan, List<RunResult> past) {
        Map<String, List<Double>> perStep = new LinkedHashMap<>();
        int used = 0;
        for (RunResult run : past.stream().limit(RECENT_RUNS).toList()) {
            boolean any = false;
            for (EnvironmentResult e : run.environments()) {
                if (e.busySeconds() == null || e.failure() != null || run.status() != RunResult.Status.COMPLETED) {
                    continue;
                }
                double overhead = Math.max(0, e.busySeconds() - loadSeconds(run.plan()));
                perStep.computeIfAbsent(e.environment(), k -> new ArrayList<>()).add(overhead / steps(run.plan()));
                any = true;
            }
            used += any ? 1 : 0;
        }
        Map<String, Duration> each = new LinkedHashMap<>();
        double total = 0;
        for (String env : plan.environments()) {
            List<Double> seen = perStep.get(env);
            double step = seen == null || seen.isEmpty() ? defaultStepSeconds(env) : Stats.median(seen.stream().mapToDouble(Double::doubleValue).toArray());
            double seconds = loadSeconds(plan) + steps(plan) * step;
            each.put(env, Duration.ofMillis(Math.round(seconds * 1000)));
            total += seconds;
        }
        return new TimeEstimate(Duration.ofMillis(Math.round(total * 1000)), each, used);
    }

    /** One environment's time under load by the plan alone: the same on every machine. */
    static double loadSeconds(RunPlan plan) {
        if (plan.isCapacitySearch()) {
            CapacityPlan c = plan.capacity();
            return c.maxSteps() * seconds(c.warmup().plus(c.window())) + seconds(plan.load().warmup());
        }
        LoadProfile round = plan.roundLoad();
        LoadProfile probe = plan.latencyProbe();
        return plan.rounds() * (seconds(round.warmup()) + seconds(round.duration()) + seconds(probe.warmup()) + seconds(probe.duration())
                + seconds(plan.coolDown()));
    }

    /** The steps that cost an environment its overhead: its preparation, each timed start, each round. */
    static int steps(RunPlan plan) {
        return 1 + plan.startupTrials() + (plan.isCapacitySearch() ? 1 : plan.rounds());
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** "about 4 min", "about 40 s": rounded as a person would say it. */
    public static String about(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return "about " + Math.max(5, Math.round(s / 5.0) * 5) + " s";
        }
        if (s < 600) {
            double minutes = Math.round(s / 30.0) / 2.0;
            return "about " + (minutes == Math.floor(minutes) ? String.format(Locale.ROOT, "%.0f", minutes)
                    : String.format(Locale.ROOT, "%.1f", minutes)) + " min";
        }
        return "about " + Math.round(s / 60.0) + " min";
    }

    /** "about 4 min (local about 40 s, docker about 1 min, vm about 2.5 min), from 3 earlier runs here". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        perEnvironment.forEach((env, d) -> parts.add(env + " " + about(d).replace("about ", "")));
        return about(total) + (parts.size() > 1 ? " (" + String.join(", ", parts) + ")" : "")
                + (learnedFrom == 0 ? ", a first guess: nothing measured here yet" : ", from " + learnedFrom + " earlier run"
                + (learnedFrom == 1 ? "" : "s") + " here");
    }

    /** What is left after {@code elapsed}, given the run's progress (0-1); never negative. */
    public Duration remaining(Duration elapsed, double progress) {
        Duration byEstimate = total.minus(elapsed);
        if (progress >= 0.15 && (byEstimate.isNegative() || progress >= 0.5)) {
            // Past the estimate, or half-way: what the run itself shows so far is the better guide.
            long ms = Math.round(elapsed.toMillis() * (1 - progress) / progress);
            return Duration.ofMillis(Math.max(0, ms));
        }
        return byEstimate.isNegative() ? Duration.ZERO : byEstimate;
    }
}
