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
import org.gallerybench.benchmarks.Wrk;
import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.TestServer;

/**
 * The isolation spectrum side by side (issue 13): the local process, the container and the gVisor sandbox each on a
 * published port and on the host network, and with {@code --vm} the VM (emulated here: no KVM). For each: GET / with
 * 50 images under wrk at one request in flight (request/response latency as Felter et al. measured it) and at 50
 * (throughput and latency), cold start to the first 200 (median of 3), and host CPU per request at 50 in flight;
 * each as a ratio to the local process. Environments run one after another with ports and containers of their own.
 */
public final class IsolationBenchmark {
    private IsolationBenchmark() {
    }

    record Variant(String id, String network, String label) {
    }

    record Row(String label, double rps, double p50One, double p99One, double p50Fifty, double p99Fifty, double coldStartMs,
               double hostCpuMicrosPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        boolean withVm = List.of(args).contains("--vm");
        int seconds = List.of(args).contains("--quick") ? 5 : 10;
        Report report = new Report("isolation");
        Path home = Files.createTempDirectory("gallerybench-isolation");
        AppPaths paths = new AppPaths(TestServer.projectRoot(), home.resolve("data"), home.resolve("config"));
        EnvironmentSettings base = EnvironmentSettings.defaults().withLocalPort(5101).withDockerPort(5102);
        base = base.with(new org.gallerybench.engine.setup.Connection.Gvisor(5103, "published"));
        List<Variant> variants = new ArrayList<>(List.of(new Variant("local", "", "Local process"),
                new Variant("docker", "published", "Docker · published port"), new Variant("docker", "host", "Docker · host network"),
                new Variant("gvisor", "published", "gVisor · published port"), new Variant("gvisor", "host", "gVisor · host network")));
        if (withVm) {
            variants.add(new Variant("vm", "", "VM · QEMU user-mode forward (emulated, no KVM)"));
        }
        System.out.println("Isolation benchmark: GET / with 50 images; wrk -c1 and -c50 for " + seconds + " s each, after a 3 s warm-up; "
                + Runtime.getRuntime().availableProcessors() + " cores shared by server and wrk.");
        ServerArtifact artifact = ServerArtifact.of(paths.serverJar());
        List<Row> rows = new ArrayList<>();
        for (Variant v : variants) {
            EnvironmentSettings settings = v.network().isEmpty() ? base : base.withNetwork(v.id(), v.network());
            try (Environment env = new EnvironmentCatalog(paths, settings).create(v.id())) {
                System.out.println();
                System.out.println(v.label() + ": deploying and starting ...");
                env.deploy(artifact);
                env.start();
                if (BenchSupport.total(env.endpoint()) < 50) {
                    BenchSupport.upload50Photos(env.endpoint());
                }
                List<Double> cold = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    cold.add(env.coldStart().totalMillis());
                }
                Wrk.run(env.endpoint(), 1, 8, 3);
                Wrk.Result one = Wrk.run(env.endpoint(), 1, 1, seconds);
                Wrk.Result fifty;
                double hostCpu;
                try (SampleStream samples = env.openSampler(Duration.ofSeconds(1))) {
                    fifty = Wrk.run(env.endpoint(), 2, 50, seconds);
                    List<ResourceSample> read = new ArrayList<>();
                    samples.poll(Duration.ZERO);
                    for (var s = samples.poll(Duration.ofMillis(100)); s.isPresent(); s = samples.poll(Duration.ofMillis(100))) {
                        read.add(s.get());
                    }
                    hostCpu = read.stream().mapToDouble(s -> Double.isNaN(s.hostCpuPercent()) ? s.cpuPercent() : s.hostCpuPercent())
                            .average().orElse(Double.NaN);
                }
                // percent of one core x seconds = core-seconds; per request in microseconds
                double cpuPerRequest = hostCpu / 100.0 * 1_000_000.0 / fifty.requestsPerSecond();
                Row row = new Row(v.label(), fifty.requestsPerSecond(), one.p50Millis(), one.p99Millis(), fifty.p50Millis(), fifty.p99Millis(),
                        Report.median(cold), cpuPerRequest);
                rows.add(row);
                System.out.printf(Locale.ROOT, "  %,.0f req/s; 1 in flight p50 %.2f p99 %.2f ms; 50 in flight p50 %.2f p99 %.2f ms; cold start %.0f ms;"
                        + " host CPU %.0f us/request; errors %d%n", row.rps(), row.p50One(), row.p99One(), row.p50Fifty(), row.p99Fifty(),
                        row.coldStartMs(), row.hostCpuMicrosPerRequest(), one.errors() + one.non2xx() + fifty.errors() + fifty.non2xx());
                env.stop();
                if (env instanceof org.gallerybench.environments.docker.DockerEnvironment d) {
                    d.removeContainer(); // its name is this run's own: nothing is left behind
                    d.removeVolume();
                }
            } catch (RuntimeException e) {
                System.out.println("  not measured: " + org.gallerybench.engine.run.UserMessages.describe(e));
            }
        }
        Row local = rows.stream().filter(r -> r.label().equals("Local process")).findFirst().orElseThrow();
        report.section("Overhead against the local process (ratio; lower is better except throughput)");
        System.out.printf(Locale.ROOT, "  %-48s %10s %12s %12s %12s %12s %11s %12s%n", "environment", "req/s", "p50 @1", "p99 @1", "p50 @50",
                "p99 @50", "cold start", "CPU/request");
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "  %-48s %10s %12s %12s %12s %12s %11s %12s%n", r.label(),
                    cell(r.rps(), local.rps(), "%,.0f"), cell(r.p50One(), local.p50One(), "%.2f"), cell(r.p99One(), local.p99One(), "%.2f"),
                    cell(r.p50Fifty(), local.p50Fifty(), "%.2f"), cell(r.p99Fifty(), local.p99Fifty(), "%.2f"),
                    cell(r.coldStartMs(), local.coldStartMs(), "%.0f"), cell(r.hostCpuMicrosPerRequest(), local.hostCpuMicrosPerRequest(), "%.0f"));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("environment", r.label());
            m.put("requests_per_second", Report.round(r.rps()));
            m.put("p50_ms_at_1", r.p50One());
            m.put("p99_ms_at_1", r.p99One());
            m.put("p50_ms_at_50", r.p50Fifty());
            m.put("p99_ms_at_50", r.p99Fifty());
            m.put("cold_start_ms", r.coldStartMs());
            m.put("host_cpu_us_per_request", Report.round(r.hostCpuMicrosPerRequest()));
            table.add(m);
        }
        System.out.println("  (each cell: the figure, then its ratio to the local process; ms for latency and start, us for CPU)");
        report.put("rows", table);
        BenchSupport.deleteTree(home);
        report.write();
    }

    private static String cell(double value, double local, String format) {
        return String.format(Locale.ROOT, format, value) + String.format(Locale.ROOT, " %.2fx", value / local);
    }
}
