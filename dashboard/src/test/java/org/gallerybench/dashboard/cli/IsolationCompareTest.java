package org.gallerybench.dashboard.cli;

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
 * One comparison across the isolation spectrum's new points, as a script would run it: the container on the host's
 * network beside the gVisor sandbox on a published port, through the real engine with runsc registered. Both are
 * measured, and each is named with its path. Its own data folder, ports and containers.
 */
class IsolationCompareTest {
    @TempDir
    static Path home;

    @BeforeAll
    static void ownHome() throws Exception {
        System.setProperty("gallerybench.home", home.toString());
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/settings.json"), """
                {"environments": {"localPort": 5099, "dockerHost": "", "dockerPort": 5097, "matchLimits": false, "vmCpus": 2,
                 "vmMemoryMib": 1024, "vagrantDir": "", "sshHost": "", "sshPort": 22, "sshUser": "", "sshKey": "", "vmPort": 5001,
                 "gvisorPort": 5098},
                 "profile": "quick", "selected": ["docker", "gvisor"], "exportWidth": 1200, "exportHeight": 600}
                """);
    }

    @AfterAll
    static void restore() {
        System.clearProperty("gallerybench.home");
    }

    @Test
    void theContainerOnTheHostNetworkAndTheSandboxAreBothMeasured() throws Exception {
        Path out = home.resolve("results");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = GalleryBenchCli.run(new String[] {"compare", "--env", "docker,gvisor", "--network", "docker=host", "--duration", "4s",
                "--warmup", "1s", "--startup-trials", "1", "--concurrency", "8", "--out", out.toString(), "--no-history"},
                new PrintWriter(stdout), new PrintWriter(stderr));
        System.out.println(stdout);
        assertThat(code).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).contains("Docker container · host network").contains("gVisor sandbox");
        var run = org.gallerybench.dashboard.report.JsonReport.read(Files.readString(out.resolve("run.json")));
        assertThat(run.environments()).hasSize(2);
        for (var e : run.environments()) {
            assertThat(e.failure()).as(e.environment()).isNull();
            assertThat(e.load().successes()).as(e.environment() + " answers").isGreaterThan(100);
            assertThat(e.load().successes()).as(e.environment() + " errors").isEqualTo(e.load().requests());
        }
        assertThat(run.environments().get(0).displayName()).isEqualTo("Docker container · host network");
        assertThat(run.environments().get(0).endpoint()).isEqualTo("http://127.0.0.1:5097/");
        assertThat(run.environments().get(1).environment()).isEqualTo("gvisor");
        assertThat(run.environments().get(1).displayName()).isEqualTo("gVisor sandbox");
    }
}
