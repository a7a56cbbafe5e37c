package org.gallerybench.engine.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.RequestMix;
import org.gallerybench.engine.run.RunPlan;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import org.gallerybench.engine.load.LoadProfileBuilder;
import org.gallerybench.engine.run.RoundsAuto;

/** What a comparison does: the profile, the load, startup trials, rounds, sampling, the dataset and the seed. A picocli mixin of {@code compare}. */
final class PlanOptions {
    @Option(names = "--profile", description = "Start from a preset: quick or standard (the run says first how long it will take here). Other options override it.")
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

    @Option(names = "--cool-down", converter = Units.DurationConverter.class, description = "Idle time between environments (default 2s;"
            + " quick: 1s, as in the dashboard).")
    Duration coolDown;

    @Option(names = "--no-isolate", description = "Leave the other environments running while one is measured.")
    boolean noIsolate;

    @Option(names = "--rounds", paramLabel = "N|auto", description = "Independent rounds per environment, interleaved (A B C, A B C, ...),"
            + " each with its own warm-up; the duration is split between them. Figures are medians over rounds; 3 or more give intervals"
            + " (default 3; standard: 5). auto: rounds until every headline figure (requests/s, p50) is within --rounds-target,"
            + " each round a third of the duration, 3 to --max-rounds.")
    String rounds;

    @Option(names = "--rounds-target", defaultValue = "5%", description = "With --rounds auto: how close a figure's interval (at 90 %% or"
            + " more, so 5 rounds at least) must hold its median, in percent of it (default: ${DEFAULT-VALUE}).")
    String roundsTarget;

    @Option(names = "--max-rounds", defaultValue = "10", description = "With --rounds auto: the most rounds (default: ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--max-time", converter = Units.DurationConverter.class, description = "With --rounds auto: no new round after this long"
            + " of rounds, e.g. 10m (default: no limit but --max-rounds).")
    Duration maxTime;

    @Option(names = "--dataset", description = "Images in the one gallery every environment serves, the same in every run (default 200);"
            + " each store is set to exactly them before each round. 0 leaves the stores as they are.")
    Integer dataset;

    @Option(names = "--seed", description = "Seed of the load's random choices, to repeat a run exactly (default: a new one, recorded in run.json).")
    Long seed;

    @Option(names = "--label", defaultValue = "", description = "A name for the run in history and reports.")
    String label;

    /** The plan these options describe, for these environments; {@code spec} is the command's, for clear errors. */
    RunPlan plan(List<String> ids, CommandLine.Model.CommandSpec spec) {
        RunPlan base = switch (profile == null ? "" : profile.strip().toLowerCase(Locale.ROOT)) {
            case "" -> RunPlan.of(ids, LoadProfile.closed(50, Duration.ofSeconds(30)).withWarmup(Duration.ofSeconds(5)));
            case "quick" -> RunPlan.quick(ids);
            case "standard" -> RunPlan.standard(ids);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown profile '" + profile + "': use quick or standard");
        };
        LoadProfile load = base.load();
        if (rate != null) {
            int conns = connections != null ? connections : concurrency != null ? concurrency : 64;
            load = LoadProfileBuilder.builder(load).mode(LoadProfile.Mode.OPEN).concurrency(conns).ratePerSecond(rate)
                    .requestLimit(0).build();
        } else if (concurrency != null) {
            load = LoadProfileBuilder.builder(load).mode(LoadProfile.Mode.CLOSED).concurrency(concurrency)
                    .ratePerSecond(0).build();
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
        RunPlan plan = base.withLoad(load).withSampling(interval, coolDown != null ? coolDown : base.coolDown()).withIsolate(!noIsolate)
                .withLabel(label.isBlank() ? base.label() : label);
        if (rounds != null && rounds.strip().equalsIgnoreCase("auto")) {
            plan = plan.withRoundsAuto(new RoundsAuto(RunCommand.percent("--rounds-target", roundsTarget), maxRounds,
                    maxTime));
        } else if (rounds != null) {
            try {
                plan = plan.withRounds(Integer.parseInt(rounds.strip()));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rounds " + rounds + ": give a number of rounds, or auto");
            }
        }
        if (seed != null) {
            plan = plan.withSeed(seed);
        }
        if (dataset != null) {
            plan = plan.withDatasetSize(dataset);
        }
        if (startupTrials != null || untilStable) {
            plan = plan.withStartupTrials(startupTrials != null ? startupTrials : base.startupTrials(), untilStable, maxStartupTrials);
        }
        return plan;
    }
}
