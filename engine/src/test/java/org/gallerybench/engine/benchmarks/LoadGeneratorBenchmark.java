package org.gallerybench.engine.runmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.benchmarks.Report;
import org.gallerybench.benchmarks.Wrk;
import org.gallerybench.engine.load.LoadGenerator;
import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadResult;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/**
 * The built-in load generator against wrk (issues 5 and 9): both load the same local gallery (50 images, GET /, 50
 * connections, 10 s), one after the other over several rounds, alternating which goes first; the figure is the
 * ratio of their median requests/s. Also the generator's CPU time per request.
 */
public final class LoadGeneratorBenchmark {
    private LoadGeneratorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Report report = new Report("loadgen");
        Path data = Files.createTempDirectory("gallerybench-loadgen-bench");
        try (LocalEnvironment server = new LocalEnvironment(LocalSettings.defaults(data).withPort(BenchSupport.freePort())
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot")))) {
            server.deploy(TestServer.artifact());
            server.start();
            BenchSupport.upload50Photos(server.endpoint());
            System.out.println("Load generator vs wrk: GET / with 50 images, 50 connections, 10 s per run, " + rounds + " rounds");
            Wrk.run(server.endpoint(), 2, 50, 5);
            LoadProfile profile = LoadProfile.closed(50, Duration.ofSeconds(10)).withWarmup(Duration.ofSeconds(2));
            new LoadGenerator(server.endpoint(), profile.withDuration(Duration.ofSeconds(5))).run(t -> { }, () -> false);

            List<Double> wrk = new ArrayList<>();
            List<Double> ours = new ArrayList<>();
            List<Double> cpuPerRequest = new ArrayList<>();
            List<Double> ourP50 = new ArrayList<>();
            List<Double> wrkP50 = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean wrkTurn = (round + turn) % 2 == 0;
                    if (wrkTurn) {
                        Wrk.Result r = Wrk.run(server.endpoint(), 2, 50, 10);
                        wrk.add(r.requestsPerSecond());
                        wrkP50.add(r.p50Millis());
                    } else {
                        LoadResult r = new LoadGenerator(server.endpoint(), profile).run(t -> { }, () -> false);
                        ours.add(r.requestsPerSecond());
                        cpuPerRequest.add(r.cpuMicrosPerRequest());
                        ourP50.add(r.latency().p50Millis());
                        r.warnings().forEach(w -> System.out.println("  (warning) " + w));
                    }
                }
                System.out.printf("  round %d: wrk %.0f req/s, generator %.0f req/s%n", round + 1, wrk.getLast(), ours.getLast());
            }
            double ratio = Report.median(ours) / Report.median(wrk);
            report.figure("wrk_requests_per_second_median", Report.median(wrk), "req/s", null);
            report.figure("generator_requests_per_second_median", Report.median(ours), "req/s", null);
            report.figure("ratio_of_medians", ratio, "", ">= 0.8");
            report.figure("generator_cpu_us_per_request", Report.median(cpuPerRequest), "us", null);
            report.figure("wrk_p50_ms", Report.median(wrkP50), "ms", null);
            report.figure("generator_p50_ms", Report.median(ourP50), "ms", null);
            report.put("rounds", Map.of("wrk", wrk, "generator", ours, "cpu_us_per_request", cpuPerRequest));
        } finally {
            BenchSupport.deleteTree(data);
        }
        report.write();
    }
}
