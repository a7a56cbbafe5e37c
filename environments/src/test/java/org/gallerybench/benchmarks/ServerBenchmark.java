package org.gallerybench.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gallerybench.environments.ProcFs;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/**
 * The gallery server on its own (issue 2): GET / with 50 images under wrk, uploads of 100 KiB images, time from
 * {@code java -jar} to the first 200 (median of 10), and resident memory idle and under load. The server runs as
 * the local environment runs it: jvm.options plus an AOT cache made for this build.
 */
public final class ServerBenchmark {
    private ServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report("server");
        Path data = Files.createTempDirectory("gallerybench-server-bench");
        LocalSettings settings = LocalSettings.defaults(data).withPort(BenchSupport.freePort())
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot"));
        try (LocalEnvironment server = new LocalEnvironment(settings)) {
            System.out.println("Gallery server benchmark: " + Runtime.getRuntime().availableProcessors()
                    + " cores, server and load generator on the same machine");
            server.deploy(TestServer.artifact());
            server.start();
            URI base = server.endpoint();
            BenchSupport.upload50Photos(base);
            long pid = server.pid().orElseThrow();

            Thread.sleep(3000);
            long idle = BenchSupport.orZero(ProcFs.rssBytes(pid));

            report.section("GET / with 50 images (wrk -t2 -c64 -d10s, after a 5 s warm-up; median of 3 rounds)");
            Wrk.run(base, 2, 64, 5);
            List<Double> rps = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            long errors = 0;
            long peakGet;
            try (BenchSupport.PeakSampler rss = new BenchSupport.PeakSampler(() -> BenchSupport.orZero(ProcFs.rssBytes(pid)))) {
                for (int round = 0; round < 3; round++) {
                    Wrk.Result r = Wrk.run(base, 2, 64, 10);
                    rps.add(r.requestsPerSecond());
                    p50.add(r.p50Millis());
                    p99.add(r.p99Millis());
                    errors += r.errors() + r.non2xx();
                }
                peakGet = rss.peak();
            }
            report.figure("get_requests_per_second", Report.median(rps), "req/s", ">= 15000");
            report.figure("get_p50_ms", Report.median(p50), "ms", null);
            report.figure("get_p99_ms", Report.median(p99), "ms", null);
            report.figure("get_errors", errors, "", "0");
            report.put("get_rounds", Map.of("requests_per_second", rps, "p50_ms", p50, "p99_ms", p99));

            report.section("POST /upload of a 100 KiB PNG (wrk -t2 -c16 -d10s)");
            Path script = BenchSupport.uploadScript(data, BenchSupport.pngOfSize(100 * 1024, 42));
            long peakUpload;
            Wrk.Result uploads;
            try (BenchSupport.PeakSampler rss = new BenchSupport.PeakSampler(() -> BenchSupport.orZero(ProcFs.rssBytes(pid)))) {
                uploads = Wrk.run(base.resolve("/upload"), 2, 16, 10, "-s", script.toString());
                peakUpload = rss.peak();
            }
            report.figure("upload_requests_per_second", uploads.requestsPerSecond(), "req/s", null);
            report.figure("upload_p50_ms", uploads.p50Millis(), "ms", null);
            report.figure("upload_p99_ms", uploads.p99Millis(), "ms", null);
            report.figure("upload_errors", uploads.errors() + uploads.non2xx(), "", "0");

            report.section("Memory (production flags: " + String.join(" ", TestServer.artifact().jvmFlags()) + ")");
            report.figure("rss_idle_mib", BenchSupport.mib(idle), "MiB", null);
            report.figure("rss_under_get_load_mib", BenchSupport.mib(peakGet), "MiB", "<= 100");
            report.figure("rss_under_upload_load_mib", BenchSupport.mib(peakUpload), "MiB", "<= 100");

            report.section("Start-up: java -jar to the first 200 on / (10 restarts, AOT cache " + server.aotCache().isPresent() + ")");
            List<Double> startups = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StartTiming t = server.restart();
                startups.add(t.totalMillis());
            }
            report.figure("startup_median_ms", Report.median(startups), "ms", "<= 700");
            report.put("startup_ms", Report.summary(startups, "ms"));
            System.out.println("  all: " + startups.stream().map(d -> String.format("%.0f", d)).toList());
            report.put("aot_cache", server.aotCache().isPresent());
        } finally {
            BenchSupport.deleteTree(data);
        }
        report.write();
    }
}
