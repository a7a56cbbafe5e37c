package org.gallerybench.dashboard.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.gallerybench.dashboard.bench.EnvironmentCatalog;
import org.gallerybench.dashboard.bench.RunPlan;
import org.gallerybench.dashboard.report.Reports;

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
        List<String> ids = EnvironmentCatalog.parseIds(env);
        checkNetwork();
        List<Threshold> checks = thresholds.stream().map(Threshold::parse).toList();
        Set<Reports.Format> wanted = formats == null || formats.isEmpty() ? EnumSet.allOf(Reports.Format.class)
                : EnumSet.copyOf(formats.stream().map(Reports.Format::parse).toList());
        RunPlan plan = planOptions.plan(ids, spec);
        return runAndReport(plan, checks, wanted);
    }

}
