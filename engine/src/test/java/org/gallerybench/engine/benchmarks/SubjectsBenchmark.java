package org.gallerybench.engine.runmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.benchmarks.Report;
import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.run.ComparisonRun;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.run.EventBus;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.RequestMix;
import org.gallerybench.engine.run.RunPlan;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.run.Summary;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.TestVm;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.Subjects;

/**
 * The Helidon gallery and the Flask gallery (the old study's kind of app) side by side in local, docker and the VM
 * (issue 23), each measured by the product's own engine with one plan: GET / (the old study's request) on the run's
 * 200-image dataset, a closed loop of 16 in flight, 3 rounds, 3 timed cold starts. Prints requests/s, p50/p99, cold
 * start, app memory (all the app's processes), environment memory (the old study's kind of figure: the container's
 * cgroup, the guest's used memory) and host memory (what this machine pays), and the old study's own table
 * beside it. The VM is the tests' machine (scripts/test-vm up), emulated here (no KVM): its figures are not those of a
 * hardware-virtualized VM. {@code --quick}: 5 s rounds, 2 rounds; {@code --no-vm}: local and docker only.
 */
public final class SubjectsBenchmark {
    private SubjectsBenchmark() {
    }

    record Row(String subject, String environment, Summary s) {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<String> envs = List.of(args).contains("--no-vm") ? List.of("local", "docker") : List.of("local", "docker", "vm");
        System.setProperty("gallerybench.vmName", TestVm.MACHINE);
        Report report = new Report("subjects");
        Path home = Files.createTempDirectory("gallerybench-subjects");
        AppPaths paths = new AppPaths(TestServer.projectRoot(), home.resolve("data"), home.resolve("config"));
        EnvironmentSettings settings = EnvironmentSettings.defaults().withLocalPort(5121).withDockerPort(5122)
                .withVm("", "", 22, "", "", TestVm.PORT);
        int seconds = quick ? 5 : 10;
        int rounds = quick ? 2 : 3;
        RunPlan plan = RunPlan.of(envs, LoadProfile.closed(16, Duration.ofSeconds(seconds)).withWarmup(Duration.ofSeconds(3))
                        .withMix(RequestMix.parse("page=100")))
                .withStartupTrials(3, false, 3).withRounds(rounds).withSampling(Duration.ofSeconds(1), Duration.ofSeconds(1)).withLabel("subjects");
        System.out.println("Subjects benchmark: the Helidon gallery and the Flask gallery (gunicorn, 1 worker) in " + String.join(", ", envs)
                + "; GET / on 200 images, 16 in flight, " + rounds + " rounds of " + seconds + " s after 3 s warm-up, 3 cold starts; "
                + Runtime.getRuntime().availableProcessors() + " cores shared by the app and the load generator."
                + (envs.contains("vm") ? " The VM is emulated (no KVM): 20-50x slower than hardware." : ""));
        if (envs.contains("vm")) {
            TestVm.up();
        }
        ServerArtifact artifact = ServerArtifact.of(paths.serverJar());
        List<Row> rows = new ArrayList<>();
        for (String name : List.of(Subjects.DEFAULT, "flask-gallery")) {
            Subject subject = Subjects.find(paths.projectRoot(), name);
            Map<String, Environment> environments = new EnvironmentCatalog(paths, settings, subject).create(envs);
            System.out.println();
            System.out.println(name + ": measuring ...");
            RunResult result;
            try (EventBus bus = new EventBus()) {
                result = new ComparisonRun(plan.withSubject(name), environments, artifact, bus, home.resolve("cache")).forSubject(subject).run();
            } finally {
                for (Environment e : environments.values()) {
                    if (e instanceof org.gallerybench.environments.docker.DockerEnvironment d) {
                        d.removeContainer(); // names of this run's own: nothing is left behind
                        d.removeVolume();
                    }
                    e.close();
                }
            }
            for (EnvironmentResult r : result.environments()) {
                if (!r.measured()) {
                    System.out.println("  " + r.displayName() + ": not measured: " + r.failure());
                    continue;
                }
                rows.add(new Row(name, r.displayName(), r.summary()));
            }
        }
        report.section("The two galleries side by side (medians; memory in MiB: app = all the app's processes' RSS, env = the"
                + " environment as a whole: local RSS, docker cgroup, VM guest used; host = what this machine pays)");
        String format = "  %-14s %-18s %9s %9s %9s %9s %11s %9s %9s %9s %7s%n";
        System.out.printf(Locale.ROOT, format, "app", "environment", "req/s", "p50 ms", "p95 ms", "p99 ms", "cold start", "app MiB", "env MiB",
                "host MiB", "errors");
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row r : rows) {
            Summary s = r.s();
            System.out.printf(Locale.ROOT, format, r.subject(), r.environment(), String.format(Locale.ROOT, "%,.0f", s.requestsPerSecond()),
                    String.format(Locale.ROOT, "%.1f", s.p50Millis()), String.format(Locale.ROOT, "%.1f", s.p95Millis()),
                    String.format(Locale.ROOT, "%.1f", s.p99Millis()), String.format(Locale.ROOT, "%,.0f ms", s.startupMedianMillis()),
                    mib(s.appMemoryMeanBytes()), mib(s.environmentMemoryMeanBytes()), mib(s.hostMemoryMeanBytes()), Long.toString(s.errors()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", r.subject());
            m.put("environment", r.environment());
            m.put("requests_per_second", Report.round(s.requestsPerSecond()));
            m.put("p50_ms", Report.round(s.p50Millis()));
            m.put("p95_ms", Report.round(s.p95Millis()));
            m.put("p99_ms", Report.round(s.p99Millis()));
            m.put("cold_start_ms", Report.round(s.startupMedianMillis()));
            m.put("app_memory_mib", Report.round(s.appMemoryMeanBytes() / (1 << 20)));
            m.put("environment_memory_mib", Report.round(s.environmentMemoryMeanBytes() / (1 << 20)));
            m.put("host_memory_mib", Report.round(s.hostMemoryMeanBytes() / (1 << 20)));
            m.put("errors", s.errors());
            table.add(m);
        }
        System.out.println();
        System.out.println("The old study's own table (VirtualBox, its Flask app under gunicorn, ApacheBench, docker stats and top):");
        System.out.println("  container: startup ~3.7 s (timing `docker run` returning), memory ~36 MB (a cgroup figure), p50 ~140 ms, p95 ~300 ms");
        System.out.println("  VM:        startup ~8 s, memory ~176 MB (a process in the VM), p50 ~163 ms, p95 ~400 ms, ~114 req/s");
        report.put("rows", table);
        BenchSupport.deleteTree(home);
        report.write();
    }

    private static String mib(double bytes) {
        return bytes > 0 ? String.format(Locale.ROOT, "%.1f", bytes / (1 << 20)) : "n/a";
    }
}
