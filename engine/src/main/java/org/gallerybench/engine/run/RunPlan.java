package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.RequestMix;

import java.time.Duration;
import java.util.List;
import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.subject.Subjects;

/**
 * One comparison to run. Built, not copied: RecordBuilder generates {@code RunPlanBuilder} and a wither for every component
 * ({@code withSeed}, {@code withLabel}, ...), so a new option is one component here and one line where it is read.
 *
 * @param environments      the environment ids, in order; the first is the baseline the others are compared with
 * @param startupTrials     restarts per environment, each timed to the first 200
 * @param untilStable       if true, keep restarting until the relative standard deviation is 3 % or less, up to
 *                          {@code maxStartupTrials}
 * @param maxStartupTrials  the most restarts when {@code untilStable}
 * @param load              the load profile (warm-up included)
 * @param sampleInterval    how often CPU and memory are read
 * @param coolDown          idle time after each environment's load, before the next starts
 * @param isolate           stop the other environments while one is measured, so that they do not steal CPU
 * @param rounds            independent rounds per environment, interleaved (A B C, A B C, ...), each with its own
 *                          warm-up; the load's duration is split between them. Figures are medians over rounds, and
 *                          their intervals come from the rounds: 3 or more are needed for an interval
 * @param label             a name for the run in history and reports
 * @param seed              the seed of the load's random choices (which image, where in the mix); 0 = draw one when
 *                          the run starts. The run records the seed it used, so it can be repeated
 * @param datasetSize       images in the one gallery every environment serves (made from a fixed seed, so every run
 *                          measures the same gallery; cached); before each
 *                          round every store is reset to exactly it, and the load's uploads go with the next reset.
 *                          0 leaves the stores as they are
 * @param capacity          null for a comparison; for a capacity search (issue 14), how it runs: each environment is
 *                          then searched in open-loop steps instead of loaded in rounds, and {@code load} gives the
 *                          steps their mix, upload size and request timeout
 * @param subject           the app under test, by name ("gallery", the default; "flask-gallery"; a folder's subject)
 * @param auto              rounds until stable ({@code --rounds auto}), or null for {@code rounds} fixed rounds; with it,
 *                          {@code rounds} is the maximum
 */
@io.soabase.recordbuilder.core.RecordBuilder
public record RunPlan(List<String> environments, int startupTrials, boolean untilStable, int maxStartupTrials, LoadProfile load,
                      Duration sampleInterval, Duration coolDown, boolean isolate, int rounds, String label, long seed, int datasetSize,
                      CapacityPlan capacity, String subject, RoundsAuto auto) implements RunPlanBuilder.With {
    public static final double STABLE_RSD_PERCENT = 3.0;

    public RunPlan {
        environments = List.copyOf(environments);
        subject = subject == null || subject.isBlank() ? Subjects.DEFAULT : subject;
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one environment");
        }
        if (environments.stream().distinct().count() != environments.size()) {
            throw new IllegalArgumentException("an environment is listed twice: " + environments);
        }
        if (startupTrials < 0 || maxStartupTrials < startupTrials) {
            throw new IllegalArgumentException("startup trials must be 0 or more, and no more than the maximum");
        }
        if (datasetSize < 0 || datasetSize > 100_000) {
            throw new IllegalArgumentException("the dataset holds 0 to 100,000 images, not " + datasetSize);
        }
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("rounds must be between 1 and 100, got " + rounds);
        }
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("sample at most every 100 ms");
        }
    }

    public static RunPlan of(List<String> environments, LoadProfile load) {
        return RunPlanBuilder.builder().environments(environments).startupTrials(5).maxStartupTrials(15).load(load)
                .sampleInterval(Duration.ofSeconds(1)).coolDown(Duration.ofSeconds(2)).isolate(true).rounds(3).label("")
                .datasetSize(Dataset.DEFAULT_COUNT).build();
    }

    /** About a minute an environment: 3 restarts, 3 rounds of 3 s warm-up and 5 s of load, 32 in flight. */
    public static RunPlan quick(List<String> environments) {
        return of(environments, LoadProfile.closed(32, Duration.ofSeconds(15)).withWarmup(Duration.ofSeconds(3)).withMix(RequestMix.browsing()))
                .withStartupTrials(3, false, 10).withCoolDown(Duration.ofSeconds(1)).withLabel("quick");
    }

    /** The standard profile: 5 restarts (until stable, up to 15), 5 rounds of 5 s warm-up and 12 s of load, 50 in flight. */
    public static RunPlan standard(List<String> environments) {
        return of(environments, LoadProfile.closed(50, Duration.ofSeconds(60)).withWarmup(Duration.ofSeconds(5)).withMix(RequestMix.browsing()))
                .withStartupTrials(5, true, 15).withRounds(5).withLabel("standard");
    }

    /**
     * A capacity search of each environment: the same dataset, isolation, startup trials and fingerprint as a
     * comparison; the load's mix is the comparison's browsing mix.
     */
    public static RunPlan capacity(List<String> environments, CapacityPlan search) {
        return quick(environments).withLabel("capacity").withRounds(1).withCapacity(search);
    }

    public boolean isCapacitySearch() {
        return capacity != null;
    }

    public String baseline() {
        return environments.getFirst();
    }

    /** The timed starts: how many, whether to go on until they are stable, and the most then. */
    public RunPlan withStartupTrials(int trials, boolean stable, int max) {
        return RunPlanBuilder.builder(this).startupTrials(trials).untilStable(stable).maxStartupTrials(Math.max(trials, max)).build();
    }

    /** Fixed rounds (no rounds until stable). */
    @Override
    public RunPlan withRounds(int r) {
        return RunPlanBuilder.builder(this).rounds(r).auto(null).build();
    }

    /** Rounds until stable: {@code a}'s maximum is the rounds' limit (see {@link RoundsAuto}). */
    public RunPlan withRoundsAuto(RoundsAuto a) {
        return RunPlanBuilder.builder(this).rounds(a.maxRounds()).auto(a).build();
    }

    /** The load of one round: an equal share of the duration (or request count), with the full warm-up. */
    public LoadProfile roundLoad() {
        int parts = auto != null ? 3 : rounds; // until stable: each round as long as one of three fixed rounds
        LoadProfile l = load.withDuration(load.duration().dividedBy(parts));
        return load.requestLimit() > 0 ? l.withRequestLimit((load.requestLimit() + parts - 1) / parts) : l;
    }

    /** "3 rounds", or "rounds auto (±5 %, 5 to 10 rounds)". */
    public String describeRounds() {
        return auto != null ? "rounds " + auto.describe() : rounds + " rounds";
    }

    /**
     * After each round's load: GET / with one request in flight, for request/response latency as Felter et al.
     * measured it (the network path's cost shows here, not hidden behind 50 requests queued at the server). A third
     * of the round's load, 1 to 5 s, after a 1 s warm-up.
     */
    public LoadProfile latencyProbe() {
        long third = roundLoad().duration().toMillis() / 3;
        Duration length = Duration.ofMillis(Math.clamp(third, 1000, 5000));
        return LoadProfile.closed(1, length).withWarmup(Duration.ofSeconds(1)).withRequestTimeout(load.requestTimeout());
    }

    public RunPlan withSampling(Duration interval, Duration cool) {
        return withSampleInterval(interval).withCoolDown(cool);
    }

}
