package org.gallerybench.engine.cli;

import java.time.Duration;
import java.util.List;

import org.gallerybench.engine.run.CapacityPlan;
import org.gallerybench.engine.run.Objective;
import org.gallerybench.engine.load.RequestMix;
import org.gallerybench.engine.run.RunPlan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "capacity", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Finds, for each environment, the highest request rate it sustains within a latency objective: open-loop steps"
                + " (latency from each request's intended send time), doubling from a low rate until the objective fails, then"
                + " bisection to within 5 %%. Writes every step, capacity.png (latency against throughput) and the reports.",
        footer = {"", "Examples:", "  gallerybench capacity --env local,docker,vm --objective 'p99<50ms'",
                "  gallerybench capacity --env local,docker --objective 'p99<20ms' --errors 0.5% --step 5s --threshold 'docker.capacity>2000'"})
final class CapacityCommand extends RunCommand {
    @Option(names = "--objective", defaultValue = "p99<50ms", description = "The latency objective every step must hold: p50, p90, p99 or"
            + " p99.9 below a bound in ms or s (default ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--errors", defaultValue = "1%", description = "Most failed requests a step may have (default ${DEFAULT-VALUE}); sends"
            + " due but never made are held to 1 %% as well.")
    String errors;

    @Option(names = "--step", converter = Units.DurationConverter.class, defaultValue = "10s", description = "Each step's measured window"
            + " (default ${DEFAULT-VALUE}), after a warm-up of a fifth of it (1 to 5 s).")
    Duration step;

    @Option(names = "--start-rate", defaultValue = "50", description = "The first step's rate, requests per second (default ${DEFAULT-VALUE}).")
    double startRate;

    @Option(names = "--connections", defaultValue = "128", description = "The open loop's connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--mix", defaultValue = "page=70,image=25,upload=5", description = "Request mix (default ${DEFAULT-VALUE}).")
    String mix;

    @Option(names = "--startup-trials", defaultValue = "0", description = "Cold starts timed per environment first (default ${DEFAULT-VALUE}).")
    int startupTrials;

    @Option(names = "--dataset", defaultValue = "200", description = "Images in the one gallery every environment serves (default"
            + " ${DEFAULT-VALUE}); 0 leaves the stores as they are.")
    int dataset;

    @Option(names = "--seed", description = "Seed of the load's random choices (default: a new one, recorded in run.json).")
    Long seed;

    @Option(names = "--label", defaultValue = "capacity", description = "A name for the run in history and reports.")
    String label;

    @Override
    public Integer call() throws Exception {
        List<String> ids = checkedEnvironments();
        Duration warmup = Duration.ofMillis(Math.clamp(step.toMillis() / 5, 1000, 5000));
        CapacityPlan search = CapacityPlan.of(Objective.parse(objective, errors), step).withWarmup(warmup).withStartRate(startRate)
                .withConnections(connections);
        RunPlan base = RunPlan.capacity(ids, search);
        RunPlan plan = base.withLoad(base.load().withMix(RequestMix.parse(mix))).withStartupTrials(startupTrials, false, startupTrials)
                .withDatasetSize(dataset).withLabel(label);
        if (seed != null) {
            plan = plan.withSeed(seed);
        }
        return runAndReport(plan);
    }
}
