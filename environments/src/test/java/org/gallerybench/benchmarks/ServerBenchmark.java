package org.gallerybench.benchmarks;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.gallerybench.environments.ProcFs;
import org.gallerybench.environments.SlowClients;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/**
 * The gallery server on its own (issues 2 and 12): GET / with 50 images under wrk, the quick profile's mixed load,
 * uploads, surges of 1,000, 2,000 and 5,000 keep-alive connections, a flood of 2,000 clients that dribble their
 * headers, and time from {@code java -jar} to the first 200. Resident memory under each, from
 * /proc/PID/smaps_rollup: anonymous (heap, stacks, malloc) and file-backed (the JVM's code, the AOT cache as mapped).
 * The server runs as the local environment runs it: jvm.options plus an AOT cache made for this build, and its
 * default limits. {@code --quick} shortens the mixed load from 60 s to 20 s.
 */
public final class ServerBenchmark {
    private ServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Report report = new Report("server");
        Path data = Files.createTempDirectory("gallerybench-server-bench");
        LocalSettings settings = LocalSettings.defaults(data).withPort(BenchSupport.freePort())
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot"));
        try (LocalEnvironment server = new LocalEnvironment(settings)) {
            System.out.println("Gallery server benchmark: " + Runtime.getRuntime().availableProcessors()
                    + " cores, server and load generator on the same machine. Memory as RSS = anonymous + file-backed (MiB).");
            server.deploy(TestServer.artifact());
            server.start();
            URI base = server.endpoint();
            BenchSupport.upload50Photos(base);
            long pid = server.pid().orElseThrow();
            Thread.sleep(3000);
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("idle", resident(pid));

            report.section("GET / with 50 images (wrk -t2 -c50 -d10s, after a 5 s warm-up; median of 3 rounds)");
            Wrk.run(base, 2, 50, 5);
            List<Double> rps = new ArrayList<>();
            List<Double> p50 = new ArrayList<>();
            List<Double> p99 = new ArrayList<>();
            long errors = 0;
            try (ResidentPeak peak = new ResidentPeak(pid)) {
                for (int round = 0; round < 3; round++) {
                    Wrk.Result r = Wrk.run(base, 2, 50, 10);
                    rps.add(r.requestsPerSecond());
                    p50.add(r.p50Millis());
                    p99.add(r.p99Millis());
                    errors += r.errors() + r.non2xx();
                }
                memory.put("get", peak.peak());
            }
            report.figure("get_requests_per_second", Report.median(rps), "req/s", ">= 25000");
            report.figure("get_p50_ms", Report.median(p50), "ms", null);
            report.figure("get_p99_ms", Report.median(p99), "ms", null);
            report.figure("get_errors", errors, "", "0");
            report.put("get_rounds", Map.of("requests_per_second", rps, "p50_ms", p50, "p99_ms", p99));

            int mixedSeconds = quick ? 20 : 60;
            report.section("Mixed load as the quick profile's: 70 % pages, 25 % images, 5 % uploads of a 100 KiB PNG (wrk -t2 -c50 -d"
                    + mixedSeconds + "s)");
            Path mixedScript = mixedScript(data, base);
            try (ResidentPeak peak = new ResidentPeak(pid)) {
                Wrk.Result mixed = Wrk.run(base, 2, 50, mixedSeconds, "-s", mixedScript.toString());
                memory.put("mixed", peak.peak());
                report.figure("mixed_requests_per_second", mixed.requestsPerSecond(), "req/s", null);
                report.figure("mixed_p99_ms", mixed.p99Millis(), "ms", null);
                report.figure("mixed_errors", mixed.errors() + mixed.non2xx(), "", "0");
            }

            report.section("POST /upload of a 100 KiB PNG (wrk -t2 -c16 -d10s)");
            Path script = BenchSupport.uploadScript(data, BenchSupport.pngOfSize(100 * 1024, 42));
            try (ResidentPeak peak = new ResidentPeak(pid)) {
                Wrk.Result uploads = Wrk.run(base.resolve("/upload"), 2, 16, 10, "-s", script.toString());
                memory.put("upload", peak.peak());
                report.figure("upload_requests_per_second", uploads.requestsPerSecond(), "req/s", null);
                report.figure("upload_p50_ms", uploads.p50Millis(), "ms", null);
                report.figure("upload_p99_ms", uploads.p99Millis(), "ms", null);
                report.figure("upload_errors", uploads.errors() + uploads.non2xx(), "", "0");
            }
            long imagesBefore = BenchSupport.total(base);

            report.section("Surges: GET / on N keep-alive connections (wrk -t2 -cN -d10s --timeout 5s); server limits: "
                    + limits(server));
            for (int connections : new int[] {1000, 2000, 5000}) {
                try (ResidentPeak peak = new ResidentPeak(pid)) {
                    Wrk.Result r = Wrk.run(base, 2, connections, 10, "--timeout", "5s");
                    Resident at = peak.peak();
                    memory.put("surge_" + connections, at);
                    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                    System.out.printf("  %5d connections: %9.0f req/s, %7d answered, %6d socket errors (connect/read/timeout), %6d non-2xx (503),"
                            + " RSS %s, %s%n", connections, r.requestsPerSecond(), r.requests(), r.errors(), r.non2xx(), at, alive ? "up" : "DEAD");
                    report.put("surge_" + connections, Map.of("requests_per_second", Report.round(r.requestsPerSecond()),
                            "answered", r.requests(), "socket_errors", r.errors(), "non_2xx", r.non2xx(), "alive", alive));
                    if (!alive) {
                        throw new IllegalStateException("the server died under " + connections + " connections");
                    }
                }
                Thread.sleep(2000);
            }

            report.section("Slow clients: 2,000 connections sending their headers a byte a second, for 20 s");
            try (ResidentPeak peak = new ResidentPeak(pid)) {
                SlowFlood flood = slowFlood(base, pid, 2000, 20);
                memory.put("slow_clients", peak.peak());
                System.out.printf("  closed by the server: %d, never accepted: %d, server sockets at most %d, a normal GET / during the flood:"
                        + " %s, RSS %s%n", flood.closedByServer, flood.notAccepted, flood.maxServerSockets,
                        flood.normalGet, peak.peak());
                report.put("slow_clients", Map.of("closed_by_server", flood.closedByServer, "not_accepted", flood.notAccepted,
                        "max_server_sockets", flood.maxServerSockets, "normal_get", flood.normalGet));
            }
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            int after = TestHttp.get(base, "/").statusCode();
            long imagesAfter = BenchSupport.total(base);
            System.out.printf("  after the surges: server %s, GET / %d, images %d before and %d after%n", alive ? "up" : "DEAD", after,
                    imagesBefore, imagesAfter);
            report.put("after_surges", Map.of("alive", alive, "get_status", after, "images_before", imagesBefore, "images_after", imagesAfter));

            report.section("Memory (production flags: " + String.join(" ", TestServer.artifact().jvmFlags()) + ")");
            for (Map.Entry<String, Object> e : memory.entrySet()) {
                Resident r = (Resident) e.getValue();
                String target = e.getKey().equals("get") || e.getKey().equals("mixed") ? "<= 80" : null;
                report.figure("rss_" + e.getKey() + "_mib", r.rssMib(), "MiB", target);
                System.out.printf("  %-52s %12s%n", "  of which anonymous / file-backed", String.format("%.1f / %.1f", r.anonMib(), r.fileMib()));
                report.put("resident_" + e.getKey(), Map.of("rss_mib", Report.round(r.rssMib()), "anonymous_mib", Report.round(r.anonMib()),
                        "file_mib", Report.round(r.fileMib())));
            }

            report.section("Start-up: java -jar to the first 200 on / (10 restarts, AOT cache " + server.aotCache().isPresent() + ")");
            List<Double> startups = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StartTiming t = server.restart();
                startups.add(t.totalMillis());
            }
            report.figure("startup_median_ms", Report.median(startups), "ms", "<= 500");
            report.put("startup_ms", Report.summary(startups, "ms"));
            System.out.println("  all: " + startups.stream().map(d -> String.format("%.0f", d)).toList());
            report.put("aot_cache", server.aotCache().isPresent());
        } finally {
            BenchSupport.deleteTree(data);
        }
        report.write();
    }

    private static String limits(LocalEnvironment server) {
        try {
            for (String line : Files.readAllLines(server.logFile())) {
                int at = line.indexOf("limits: ");
                if (at >= 0) {
                    return line.substring(at + "limits: ".length());
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "(not in the log)";
    }

    /** Resident memory at one moment, in MiB. */
    record Resident(double rssMib, double anonMib, double fileMib) {
        @Override
        public String toString() {
            return String.format("%.0f MiB (anon %.0f, file %.0f)", rssMib, anonMib, fileMib);
        }
    }

    static Resident resident(long pid) {
        return ProcFs.resident(pid).map(r -> new Resident(BenchSupport.mib(r.rssBytes()), BenchSupport.mib(r.anonymousBytes()),
                BenchSupport.mib(r.fileBytes()))).orElse(new Resident(0, 0, 0));
    }

    /** Samples smaps_rollup every 200 ms and keeps the reading with the highest RSS. */
    static final class ResidentPeak implements AutoCloseable {
        private final AtomicReference<Resident> peak = new AtomicReference<>(new Resident(0, 0, 0));
        private volatile boolean running = true;
        private final Thread thread;

        ResidentPeak(long pid) {
            thread = Thread.ofVirtual().start(() -> {
                while (running) {
                    Resident now = resident(pid);
                    peak.accumulateAndGet(now, (a, b) -> b.rssMib() > a.rssMib() ? b : a);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        Resident peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** wrk's request script for the mixed load, with the gallery's own image names. */
    static Path mixedScript(Path dir, URI base) throws IOException {
        String json = new String(TestHttp.get(base, "/api/images?size=100").body(), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        while (m.find()) {
            names.add(m.group(1));
        }
        Path upload = BenchSupport.uploadScript(dir, BenchSupport.pngOfSize(100 * 1024, 43));
        Path body = dir.resolve("upload-body.bin");
        Path namesFile = dir.resolve("names.txt");
        Files.write(namesFile, names);
        Path script = dir.resolve("mixed.lua");
        Files.writeString(script, """
                local names = {}
                for line in io.lines("%s") do names[#names + 1] = line end
                local f = io.open("%s", "rb")
                local body = f:read("*all")
                f:close()
                local upload = {["Content-Type"] = "multipart/form-data; boundary=wrkboundary7d93", ["Accept"] = "application/json"}
                request = function()
                  local r = math.random(100)
                  if r <= 70 then return wrk.format("GET", "/")
                  elseif r <= 95 then return wrk.format("GET", "/images/" .. names[math.random(#names)])
                  else return wrk.format("POST", "/upload", upload, body) end
                end
                """.formatted(namesFile, body));
        Files.deleteIfExists(upload);
        return script;
    }

    record SlowFlood(int closedByServer, int notAccepted, int maxServerSockets, String normalGet) {
    }

    /** {@code clients} connections that send a request line, then a header byte a second, for {@code seconds}. */
    static SlowFlood slowFlood(URI base, long pid, int clients, int seconds) throws Exception {
        AtomicReference<String> normal = new AtomicReference<>("no answer within 30 s");
        int closed = 0;
        int maxSockets = 0;
        int notAccepted;
        try (SlowClients slow = SlowClients.open(base, clients)) {
            notAccepted = slow.notAccepted();
            Thread probe = Thread.ofVirtual().start(() -> {
                long start = System.nanoTime();
                try {
                    int status = TestHttp.get(base, "/").statusCode();
                    normal.set("HTTP " + status + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                } catch (RuntimeException e) {
                    normal.set("failed after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                }
            });
            for (int second = 0; second < seconds; second++) {
                maxSockets = Math.max(maxSockets, SlowClients.serverSockets(pid));
                closed += slow.dribble();
                Thread.sleep(1000);
            }
            slow.close();
            probe.join(30_000);
        }
        return new SlowFlood(closed, notAccepted, maxSockets, normal.get());
    }
}
