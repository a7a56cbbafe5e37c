package org.gallerybench.engine.cli;

import java.util.List;

import org.gallerybench.engine.run.RunPlan;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Deploys the gallery into each environment, times restarts to the first 200, loads it while sampling CPU and"
                + " memory, and writes the reports. Closed loop by default (--concurrency); open loop with --rate.",
        footer = {"", "Examples:", "  gallerybench compare --env local,docker --duration 30s --concurrency 50",
                "  gallerybench compare --env local,docker,vm --rate 500 --startup-trials 5 --out results/ --threshold 'p95<200ms'"})
final class CompareCommand extends RunCommand {
    @CommandLine.Mixin
    PlanOptions planOptions;

    @Override
    public Integer call() throws Exception {
        List<String> ids = checkedEnvironments();
        RunPlan plan = planOptions.plan(ids, spec);
        return runAndReport(plan);
    }

}
