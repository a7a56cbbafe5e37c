package org.gallerybench.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process, against the real local environment, with its own data folder. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
    @TempDir
    static Path home;
    static org.gallerybench.engine.setup.AppPaths paths;
    static String runId;

    record Outcome(int code, String out, String err) {
    }

    @BeforeAll
    static void ownHome() throws Exception {
        paths = new org.gallerybench.engine.setup.AppPaths(org.gallerybench.environments.TestServer.projectRoot(), home, home.resolve("config"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/settings.json"), """
                {"environments": {"localPort": %d, "dockerHost": "", "dockerPort": 5000, "matchLimits": false, "vmCpus": 2,
                 "vmMemoryMib": 1024, "vagrantDir": "", "sshHost": "", "sshPort": 22, "sshUser": "", "sshKey": "", "vmPort": 5001},
                 "profile": "quick", "selected": ["local"], "exportWidth": 1200, "exportHeight": 600}
                """.formatted(port));
    }

    static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GalleryBenchCli.run(paths, args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void compareWritesReportsKeepsHistoryAndExits0WhenThresholdsPass() throws Exception {
        Path out = home.resolve("results");
        Outcome o = cli("compare", "--env", "local", "--duration", "3s", "--warmup", "1s", "--startup-trials", "2", "--concurrency", "8",
                "--out", out.toString(), "--threshold", "errors=0", "--threshold", "p99<5s", "--label", "cli test");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("| Metric | Local process |").contains("threshold errors=0").contains("ok");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("run.json", "series.csv", "report.html", "report.md", "cpu.png");
        }
        Outcome list = cli("history", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("[cli test]").contains("local: start");
        runId = list.out().lines().filter(l -> l.contains("[cli test]")).findFirst().orElseThrow().split("\\s+")[0];
    }

    @Test
    @Order(2)
    void theNextRunsTimeEstimateIsLearnedFromTheFirst() {
        try (var history = new org.gallerybench.engine.history.RunHistory(paths.history())) {
            var first = history.require(runId);
            Double busy = first.environments().getFirst().busySeconds();
            assertThat(busy).as("the run records the time it spent on each environment").isNotNull().isPositive();
            double wall = java.time.Duration.between(first.startedAt(), first.finishedAt()).toMillis() / 1000.0;
            assertThat(busy).isLessThanOrEqualTo(wall + 0.5);

            var estimate = history.estimate(first.plan());
            assertThat(estimate.learnedFrom()).isEqualTo(1);
            double predicted = estimate.perEnvironment().get("local").toMillis() / 1000.0;
            // The same plan on the same machine: what it took is what the next one is expected to take.
            assertThat(predicted).isBetween(busy * 0.8, busy * 1.25);
            assertThat(estimate.describe()).startsWith("about ").endsWith("from 1 earlier run here");

            // Four more rounds of the same environment: the estimate grows by their load and their overhead, not more.
            var longer = history.estimate(first.plan().withRounds(first.plan().rounds() + 4));
            assertThat(longer.total()).isGreaterThan(estimate.total());
        }
    }

    @Test
    @Order(3)
    void aFailedThresholdExits1() {
        Outcome o = cli("compare", "--env", "local", "--duration", "2s", "--warmup", "0s", "--startup-trials", "1", "--concurrency", "4",
                "--out", home.resolve("results2").toString(), "--threshold", "p50<0.001ms", "--no-history");
        assertThat(o.code()).as(o.err()).isEqualTo(1);
        assertThat(o.out()).contains("threshold p50<0.001ms").contains("FAILED");
    }

    @Test
    @Order(4)
    void historyShowBaselineReportAndDelete() throws Exception {
        assertThat(cli("history", "show", runId).out()).contains("| Metric | Local process |");
        assertThat(cli("history", "baseline", runId).out()).contains("is now the baseline");
        assertThat(cli("history", "list").out()).contains(runId + " *");
        Outcome compare = cli("history", "compare", runId, runId);
        assertThat(compare.code()).isZero();
        assertThat(compare.out()).contains("startup").contains("1.00×");

        Path reports = home.resolve("report-out");
        Outcome report = cli("report", runId, "--format", "png,md", "--out", reports.toString(), "--width", "800", "--height", "400");
        assertThat(report.code()).as(report.err()).isZero();
        BufferedImage png = ImageIO.read(reports.resolve("throughput.png").toFile());
        assertThat(png.getWidth()).isEqualTo(800);
        assertThat(png.getHeight()).isEqualTo(400);
        assertThat(reports.resolve("report.md")).exists();

        Outcome missing = cli("history", "delete", "no-such-run");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("gallerybench: error: There is no run 'no-such-run'");
        assertThat(cli("history", "list").out()).contains(runId);

        assertThat(cli("history", "delete", runId).out()).contains("deleted");
        assertThat(cli("history", "list").out()).doesNotContain(runId);
    }

    @Test
    @Order(5)
    void badInputIsOneClearLineAndExit2() {
        Outcome duration = cli("compare", "--duration", "banana");
        assertThat(duration.code()).isEqualTo(2);
        assertThat(duration.err()).contains("'banana' is not a duration");

        Outcome env = cli("compare", "--env", "local,mars");
        assertThat(env.code()).isEqualTo(2);
        assertThat(env.err()).isEqualTo("gallerybench: error: unknown environment 'mars': choose from local, docker, gvisor, vm"
                + " (docker:host, gvisor:published, ... for a network path)\n");
        assertThat(cli("compare", "--env", "docker:tunnel").err()).contains("unknown environment 'docker:tunnel'");

        Outcome network = cli("compare", "--env", "docker", "--network", "docker=tunnel");
        assertThat(network.code()).isEqualTo(2);
        assertThat(network.err()).isEqualTo("gallerybench: error: unknown network path 'tunnel': choose published or host\n");
        Outcome networkOfLocal = cli("compare", "--env", "local", "--network", "local=host");
        assertThat(networkOfLocal.code()).isEqualTo(2);
        assertThat(networkOfLocal.err()).contains("only docker and gvisor have a network path to choose");

        Outcome threshold = cli("compare", "--threshold", "speed>fast");
        assertThat(threshold.code()).isEqualTo(2);
        assertThat(threshold.err()).contains("bad threshold 'speed>fast'");

        Outcome format = cli("report", "whatever", "--format", "pdf");
        assertThat(format.code()).isEqualTo(2);

        Outcome unknown = cli("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument");
    }

    @Test
    @Order(6)
    void envListAndStatus() {
        Outcome list = cli("env", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("local").contains("docker").contains("vm").contains("http://127.0.0.1:5000/")
                .contains("gvisor").contains("gVisor sandbox").contains("http://127.0.0.1:5003/").contains("network: published");
        Outcome status = cli("env", "status", "local");
        assertThat(status.code()).isZero();
        // The jar is built here; its AOT cache, if an earlier test of this home trained it: the same words as the local card.
        assertThat(status.out()).startsWith("App: gallery · build ");
        assertThat(status.out().lines().filter(l -> l.startsWith("local ")).findFirst().orElse(status.out()))
                .containsPattern("^local +(absent +Jar of build [0-9a-f]{12} built; its AOT cache is not trained yet: deploy trains it"
                        + "|ready to start +Jar and AOT cache of this build present \\(build [0-9a-f]{12}\\): Start runs it\\.)");
    }

    @Test
    void thresholdsParseWithUnitsAndEnvironments() {
        Threshold t = Threshold.parse("docker.startup<2s");
        assertThat(t.environment()).contains("docker");
        assertThat(t.value()).isEqualTo(2000.0);
        assertThat(Threshold.parse("memory<=100MiB").value()).isEqualTo(100.0 * 1024 * 1024);
        assertThat(Threshold.parse("rps >= 1000").op()).isEqualTo(">=");
    }
}
