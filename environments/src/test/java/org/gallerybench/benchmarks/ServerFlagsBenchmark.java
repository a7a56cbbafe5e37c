package org.gallerybench.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gallerybench.environments.Command;
import org.gallerybench.environments.RudeClients;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/**
 * Candidate JVM flag sets for the gallery server, side by side in one run (issue 21): for each, resident memory idle,
 * under GET / and under the mixed load; GET / and mixed requests per second; and whether it survives the surge that
 * once killed it (a 3,000-connection keep-alive surge, then 1,500 half-sent request lines). In the same run, the old
 * study's kind of app, a Flask gallery under one gunicorn worker (subjects/flask-gallery, Debian's python3-flask and
 * gunicorn), serving the same 50 images, so that each set's GET / is a ratio to it.
 *
 * <pre>scripts/benchmark server-flags [--quick]</pre>
 */
public final class ServerFlagsBenchmark {
    /** The production set is jvm.options as it is; the others replace the lines they name. */
    static final Map<String, Map<String, String>> CANDIDATES = new LinkedHashMap<>();

    static {
        CANDIDATES.put("production (jvm.options)", Map.of());
        CANDIDATES.put("C1, -Xmx48m, free 10-20 %", Map.of("-Xmx", "-Xmx48m", "-XX:MinHeapFreeRatio", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio", "-XX:MaxHeapFreeRatio=20"));
        CANDIDATES.put("C1, -Xmx24m (before issue 21)", Map.of("-Xmx", "-Xmx24m"));
        CANDIDATES.put("C2, -Xmx48m, free 10-20 %", Map.of("-Xmx", "-Xmx48m", "-XX:TieredStopAtLevel", "",
                "-XX:MinHeapFreeRatio", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio", "-XX:MaxHeapFreeRatio=20"));
        CANDIDATES.put("C2, -Xmx48m", Map.of("-Xmx", "-Xmx48m", "-XX:TieredStopAtLevel", ""));
    }

    private ServerFlagsBenchmark() {
    }

    record Row(String name, double idle, double getRps, double getRss, double mixedRps, double mixedRss, String surge, double surgeRss) {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int getSeconds = quick ? 5 : 10;
        int mixedSeconds = quick ? 10 : 20;
        Report report = new Report("server-flags");
        Path work = Files.createTempDirectory("gallerybench-flags");
        System.out.println("Server flag sets side by side (" + Runtime.getRuntime().availableProcessors() + " cores, server and wrk on the same"
                + " machine; RSS in MiB from smaps_rollup; GET / with 50 images, wrk -t2 -c50, median of 3 x " + getSeconds + " s)");
        List<Row> rows;
        double flaskRps;
        try (Flask flask = new Flask(work)) {
            rows = measureAll(work, getSeconds, mixedSeconds, flask);
            flaskRps = Report.median(flask.getRps);
            System.out.printf("  Flask gallery, gunicorn --workers 1: GET / %,.0f req/s (rounds %s)%n", flaskRps, flask.getRps.stream()
                    .map(r -> String.format("%,.0f", r)).toList());
            report.figure("flask_get_requests_per_second", flaskRps, "req/s", null);
            for (Row r : rows) {
                System.out.printf("  %-26s idle %3.0f | GET %,7.0f req/s (%4.1fx Flask), RSS %3.0f | mixed %,6.0f req/s, RSS %3.0f | surge + 1,500"
                        + " half-sent: %s, RSS %3.0f%n", r.name(), r.idle(), r.getRps(), r.getRps() / flaskRps, r.getRss(), r.mixedRps(),
                        r.mixedRss(), r.surge(), r.surgeRss());
                report.put(r.name(), Map.of("rss_idle_mib", Report.round(r.idle()), "get_requests_per_second", Report.round(r.getRps()),
                        "get_vs_flask", Report.round(r.getRps() / flaskRps), "rss_get_mib", Report.round(r.getRss()),
                        "mixed_requests_per_second", Report.round(r.mixedRps()), "rss_mixed_mib", Report.round(r.mixedRss()),
                        "surge", r.surge(), "rss_surge_mib", Report.round(r.surgeRss())));
            }
        } finally {
            BenchSupport.deleteTree(work);
        }
        report.write();
    }

    /** One candidate, started and kept running for the whole run. */
    static final class Candidate implements AutoCloseable {
        final String name;
        final LocalEnvironment server;
        final URI base;
        final long pid;
        final Path dir;
        final List<Double> getRps = new ArrayList<>();
        double idle;
        double getRss;

        Candidate(Path work, String name, Map<String, String> replace) throws Exception {
            this.name = name;
            ServerArtifact production = TestServer.artifact();
            dir = Files.createDirectories(work.resolve("set-" + Integer.toHexString(name.hashCode())));
            Path options = dir.resolve("jvm.options");
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(production.jvmOptions())) {
                String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : line.replaceAll("[0-9]+[kmg]?$", "");
                if (replace.containsKey(key)) {
                    if (!replace.get(key).isEmpty()) {
                        lines.add(replace.get(key));
                    }
                } else {
                    lines.add(line);
                }
            }
            for (Map.Entry<String, String> extra : replace.entrySet()) {
                if (!extra.getValue().isEmpty() && !lines.contains(extra.getValue())) {
                    lines.add(extra.getValue()); // a flag the production set does not have
                }
            }
            Files.write(options, lines);
            // A digest of its own: the AOT cache is trained with these very flags.
            ServerArtifact artifact = new ServerArtifact(production.jar(), production.libs(), replace.isEmpty() ? production.jvmOptions() : options,
                    replace.isEmpty() ? production.digest() : production.digest().substring(0, 48) + Integer.toHexString(name.hashCode()));
            server = new LocalEnvironment(LocalSettings.defaults(dir).withPort(BenchSupport.freePort())
                    .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot")));
            server.deploy(artifact);
            server.start();
            base = server.endpoint();
            pid = server.pid().orElseThrow();
            BenchSupport.upload50Photos(base);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * Every candidate and the Flask gallery run at once, and each round of wrk visits them in turn, so that a slow
     * minute of this shared machine falls on all of them alike: the medians and ratios are side by side.
     */
    static List<Row> measureAll(Path work, int getSeconds, int mixedSeconds, Flask flask) throws Exception {
        List<Candidate> all = new ArrayList<>();
        try {
            for (Map.Entry<String, Map<String, String>> c : CANDIDATES.entrySet()) {
                all.add(new Candidate(work, c.getKey(), c.getValue()));
            }
            Thread.sleep(3000);
            for (Candidate c : all) {
                c.idle = ServerBenchmark.resident(c.pid).rssMib();
                Wrk.run(c.base, 2, 50, 5); // warm-up: the JIT
            }
            Wrk.run(flask.base, 2, 50, 5);
            for (int round = 0; round < 3; round++) {
                flask.getRps.add(Wrk.run(flask.base, 2, 50, getSeconds).requestsPerSecond());
                for (Candidate c : all) {
                    try (ServerBenchmark.ResidentPeak peak = new ServerBenchmark.ResidentPeak(c.pid)) {
                        c.getRps.add(Wrk.run(c.base, 2, 50, getSeconds).requestsPerSecond());
                        c.getRss = Math.max(c.getRss, peak.peak().rssMib());
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Candidate c : all) {
                double mixedRps;
                double mixedRss;
                try (ServerBenchmark.ResidentPeak peak = new ServerBenchmark.ResidentPeak(c.pid)) {
                    mixedRps = Wrk.run(c.base, 2, 50, mixedSeconds, "-s", ServerBenchmark.mixedScript(c.dir, c.base).toString()).requestsPerSecond();
                    mixedRss = peak.peak().rssMib();
                }
                String surge;
                double surgeRss;
                try (ServerBenchmark.ResidentPeak peak = new ServerBenchmark.ResidentPeak(c.pid)) {
                    Wrk.run(c.base, 2, 3000, 10, "--timeout", "5s");
                    RudeClients.halfSent(c.base, 1_500, Duration.ZERO);
                    Thread.sleep(2000);
                    boolean alive = ProcessHandle.of(c.pid).map(ProcessHandle::isAlive).orElse(false);
                    surge = alive && TestHttp.get(c.base, "/").statusCode() == 200 ? "up" : "DEAD";
                    surgeRss = peak.peak().rssMib();
                }
                rows.add(new Row(c.name, c.idle, Report.median(c.getRps), c.getRss, mixedRps, mixedRss, surge, surgeRss));
            }
            return rows;
        } finally {
            all.forEach(Candidate::close);
        }
    }

    /** The Flask gallery under one gunicorn worker, with the same 50 images, running for the whole run. */
    static final class Flask implements AutoCloseable {
        final URI base;
        final List<Double> getRps = new ArrayList<>();
        private final Command.Running gunicorn;

        private final Path app;

        Flask(Path work) throws Exception {
            // It keeps its images inside its own folder (static/uploads), as the old study's app did: it runs from a copy.
            app = Files.createDirectories(work.resolve("flask-gallery"));
            Files.copy(TestServer.projectRoot().resolve("subjects/flask-gallery/app.py"), app.resolve("app.py"));
            int port = BenchSupport.freePort();
            gunicorn = Command.of("gunicorn", "--workers", "1", "--bind", "127.0.0.1:" + port, "app:app").dir(app)
                    .env("PYTHONDONTWRITEBYTECODE", "1").deadline(Duration.ofMinutes(60)).start();
            base = URI.create("http://127.0.0.1:" + port + "/");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    if (TestHttp.get(base, "/").statusCode() == 200) {
                        break;
                    }
                } catch (RuntimeException notYet) {
                    // starting
                }
                if (System.nanoTime() > deadline) {
                    gunicorn.stop();
                    throw new IllegalStateException("the Flask gallery did not answer within 30 s (apt-get install python3-flask gunicorn): "
                            + gunicorn.output());
                }
                Thread.sleep(100);
            }
            for (int i = 0; i < 50; i++) {
                Files.write(app.resolve("static/uploads").resolve(String.format("photo-%02d.jpg", i)), BenchSupport.photo(200, 150, i));
            }
        }

        @Override
        public void close() {
            gunicorn.stop();
        }
    }
}
