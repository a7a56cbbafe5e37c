package org.gallerybench.engine.runmarks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.benchmarks.Report;
import org.gallerybench.engine.run.CapacityStep;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.cli.GalleryBenchCli;
import org.gallerybench.engine.report.JsonReport;

/**
 * Each environment's capacity at p99 < 50 ms on this machine (issue 14): `gallerybench capacity` on local and docker
 * (and with --vm the VM, emulated here), in a home, ports and containers of its own, with the run's 200-image gallery
 * and the browsing mix. Prints each capacity with its ratio to the local process, the steps it took, and writes the
 * figures as JSON. --quick: steps of 3 s instead of 5 s.
 */
public final class CapacityBenchmark {
    private CapacityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean withVm = List.of(args).contains("--vm");
        String step = List.of(args).contains("--quick") ? "3s" : "5s";
        Path home = Files.createTempDirectory("gallerybench-capacity");
        org.gallerybench.engine.TestHome own = org.gallerybench.engine.TestHome.at(home, 5131, 5132, 5133, "docker");
        String envs = withVm ? "local,docker,vm" : "local,docker";
        Path out = home.resolve("results");
        System.out.println("Capacity benchmark: gallerybench capacity --env " + envs + " --objective 'p99<50ms' --step " + step
                + " (browsing mix, 200 images, " + Runtime.getRuntime().availableProcessors() + " cores shared by server and generator)");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = GalleryBenchCli.run(own.paths(), new String[] {"capacity", "--env", envs, "--objective", "p99<50ms", "--step", step, "--out", out.toString(),
                "--no-history"}, new PrintWriter(stdout), new PrintWriter(stderr));
        if (code != 0) {
            System.out.println(stdout);
            System.out.println(stderr);
            System.out.println("capacity exited with " + code);
        }
        RunResult run = JsonReport.read(Files.readString(out.resolve("run.json")));
        Report report = new Report("capacity");
        report.section("Capacity at p99 < 50 ms (open loop, coordinated-omission corrected)");
        double local = run.environment("local").map(e -> e.capacity() == null ? Double.NaN : e.capacity().capacityRate()).orElse(Double.NaN);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EnvironmentResult e : run.environments()) {
            var c = e.capacity();
            if (c == null) {
                System.out.println("  " + e.displayName() + ": not measured: " + e.failure());
                continue;
            }
            CapacityStep best = c.steps().stream().filter(CapacityStep::passed).reduce((a, b) -> b.targetRate() >= a.targetRate() ? b : a).orElse(null);
            System.out.printf(Locale.ROOT, "  %-40s %8s/s  %5sx local  (%d steps; at capacity: achieved %,.0f/s, p50 %.1f ms, p99 %.1f ms, host CPU %.0f %%)%s%n",
                    e.displayName() + (run.emulated(e.environment()) ? " (emulated, no KVM)" : ""),
                    c.found() ? String.format(Locale.ROOT, "%,.0f", c.capacityRate()) : "none",
                    c.found() && !Double.isNaN(local) ? String.format(Locale.ROOT, "%.2f", c.capacityRate() / local) : "-", c.steps().size(),
                    best == null ? Double.NaN : best.achievedRate(), best == null ? Double.NaN : best.p50Millis(),
                    best == null ? Double.NaN : best.p99Millis(), best == null ? Double.NaN : best.hostCpuPercent(),
                    c.generatorLimited() ? "  (at least: the generator was the limit)" : "");
            System.out.println("    " + c.note());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("environment", e.environment());
            m.put("capacity_per_second", c.capacityRate());
            m.put("ratio_to_local", c.capacityRate() / local);
            m.put("steps", c.steps().size());
            m.put("generator_limited", c.generatorLimited());
            rows.add(m);
        }
        report.put("rows", rows);
        // The chart and the report, kept beside the figures for a person to look at.
        Path keep = Path.of(System.getProperty("gallerybench.benchmarks", "target/benchmarks"));
        Files.createDirectories(keep);
        for (String name : List.of("capacity.png", "report.html", "report.md", "run.json")) {
            Files.copy(out.resolve(name), keep.resolve("capacity-" + name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("  chart and report: " + keep.toAbsolutePath().resolve("capacity-capacity.png") + ", capacity-report.html");
                own.close(); // its container and volume are this run's own (named from its home): nothing is left behind
        BenchSupport.deleteTree(home);
        report.write();
    }
}
