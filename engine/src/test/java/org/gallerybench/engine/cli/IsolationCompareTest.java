package org.gallerybench.engine.cli;

import org.gallerybench.engine.run.Metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One comparison across the isolation spectrum's new points, as a script would run it: the container on both network
 * paths (docker:published and docker:host) beside the gVisor sandbox on the host network (--network gvisor=host),
 * through the real engine with runsc registered, after the local process. All are measured, each named with its path,
 * and the overhead table gives each one's costs as ratios to the local process. Its own data
 * folder, ports and containers.
 */
class IsolationCompareTest {
    @TempDir
    static Path home;
    static org.gallerybench.engine.TestHome own;

    @BeforeAll
    static void ownHome() throws Exception {
        // gVisor on the host network: its server listens on 5098 of this host.
        own = org.gallerybench.engine.TestHome.at(home, 5099, 5097, 5098, "docker:published", "docker:host", "gvisor");
    }

    /** Leaves no container or volume behind: each variant's are its own (names hashed from this test's folder). */
    @AfterAll
    static void restore() {
        own.close();
    }

    @Test
    void bothNetworkPathsOfTheContainerAndTheSandboxAreMeasuredInOneComparison() throws Exception {
        Path out = home.resolve("results");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = GalleryBenchCli.run(own.paths(), new String[] {"compare", "--env", "local,docker:published,docker:host,gvisor", "--network", "gvisor=host", "--duration", "4s",
                "--warmup", "1s", "--cool-down", "0s", "--startup-trials", "3", "--rounds", "3", "--concurrency", "8", "--out", out.toString(), "--no-history"},
                new PrintWriter(stdout), new PrintWriter(stderr));
        System.out.println(stdout);
        assertThat(code).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).contains("Docker container · published port").contains("Docker container · host network")
                .contains("gVisor sandbox · host network");
        var run = org.gallerybench.engine.report.JsonReport.read(Files.readString(out.resolve("run.json")));
        assertThat(run.environments()).hasSize(4);
        for (var e : run.environments()) {
            assertThat(e.failure()).as(e.environment()).isNull();
            assertThat(e.load().successes()).as(e.environment() + " answers").isGreaterThan(100);
            assertThat(e.load().successes()).as(e.environment() + " errors").isEqualTo(e.load().requests());
        }
        assertThat(run.environments()).extracting(e -> e.environment()).containsExactly("local", "docker:published", "docker:host", "gvisor");
        assertThat(run.environments()).extracting(e -> e.displayName())
                .containsExactly("Local process", "Docker container · published port", "Docker container · host network", "gVisor sandbox · host network");
        // Each variant has a port of its own: the saved one plus 20 (published) or 10 (host).
        assertThat(run.environments()).extracting(e -> e.endpoint())
                .containsExactly("http://127.0.0.1:5099/", "http://127.0.0.1:5117/", "http://127.0.0.1:5107/", "http://127.0.0.1:5098/");
        // The path each request took is recorded, the published one with what carried it (the daemon's userland proxy).
        String proxy = org.gallerybench.environments.docker.UserlandProxy.read();
        String published = proxy.startsWith("off") ? "published port through iptables NAT" : "published port through docker-proxy";
        assertThat(run.environments()).extracting(e -> e.networkPath())
                .containsExactly("loopback, no boundary", published, "host network", "host network");

        // The overhead table: every round measured request/response latency at one request in flight, and each
        // environment's costs are ratios to the local process, with intervals from the 3 rounds.
        for (var e : run.environments()) {
            assertThat(e.rounds()).as(e.environment()).hasSize(3).allSatisfy(r -> {
                assertThat(r.p50AtOneMillis()).as(e.environment() + " p50 at 1 in flight").isPositive().isLessThanOrEqualTo(r.p99AtOneMillis());
                assertThat(r.hostCpuMicrosPerRequest()).as(e.environment() + " host CPU per request").isPositive();
            });
        }
        for (String metric : java.util.List.of("requests/s", "p50 at 1", "p99 at 1", "p50", "p99", "startup", "host cpu per request")) {
            assertThat(run.comparisons()).as(metric).filteredOn(c -> c.metric() == Metric.of(metric))
                    .extracting(c -> c.other()).containsExactly("docker:published", "docker:host", "gvisor");
        }
        var sandbox = run.comparisons().stream().filter(c -> c.metric() == Metric.HOST_CPU_PER_REQUEST && c.other().equals("gvisor"))
                .findFirst().orElseThrow();
        assertThat(sandbox.ratio()).as("the sandbox's user-space kernel costs CPU on every request").isGreaterThan(1.0);
        var rows = org.gallerybench.engine.report.OverheadTable.rows(run);
        assertThat(rows).extracting(r -> r.name()).containsExactly("Local process", "Docker container · published port",
                "Docker container · host network", "gVisor sandbox · host network");
        assertThat(rows.getFirst().baseline()).isTrue();
        assertThat(rows.subList(1, 4)).allSatisfy(r -> assertThat(r.cells()).hasSize(7)
                .allSatisfy(c -> assertThat(c.ratio()).matches("[0-9.]+× \\[[0-9.]+–[0-9.]+\\] [0-9.]+ %")));
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("### Overhead against the local process").contains("| Environment | Network path | Throughput |")
                .contains("p50 · 1 in flight").contains("| Docker container · host network | host network |");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<table id=\"overhead\">").contains("Host CPU per request");
        assertThat(stdout.toString()).contains("### Overhead against the local process");
    }
}
