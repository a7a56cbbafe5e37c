package org.gallerybench.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.gallerybench.engine.run.CapacityStep;
import org.gallerybench.engine.report.JsonReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short capacity search of the local process and the container, through the CLI as a script runs it, on the real
 * engine with the run's 200-image gallery: each environment gets a capacity and its steps, capacity.png is written,
 * the reports and the history show it, and thresholds on capacity set the exit code. Its own folder, ports and
 * container.
 */
@org.junit.jupiter.api.parallel.Isolated("its capacities are measured: a class beside it on the two cores would lower them")
class CapacityCommandTest {
    @TempDir
    static Path home;
    static org.gallerybench.engine.TestHome own;

    @BeforeAll
    static void ownHome() throws Exception {
        own = org.gallerybench.engine.TestHome.at(home, 5121, 5122, 5123, "docker");
    }

    @AfterAll
    static void restore() {
        own.close();
    }

    @Test
    void aShortSearchOfLocalAndDockerFindsEachCapacityAndThresholdsSetTheExitCode() throws Exception {
        Path out = home.resolve("results");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = GalleryBenchCli.run(own.paths(), new String[] {"capacity", "--env", "local,docker", "--objective", "p99<100ms", "--step", "1s",
                "--start-rate", "100", "--out", out.toString(), "--threshold", "capacity>50", "--threshold", "docker.capacity>1000000"},
                new PrintWriter(stdout), new PrintWriter(stderr));
        System.out.println(stdout);
        assertThat(code).as("a capacity threshold that is not met fails the run: " + stderr).isEqualTo(GalleryBenchCli.THRESHOLD_FAILED);
        assertThat(stdout.toString()).containsPattern("threshold capacity>50\\s+local\\s+ok").containsPattern("threshold capacity>50\\s+docker\\s+ok")
                .containsPattern("threshold docker.capacity>1000000\\s+docker\\s+FAILED");

        var run = JsonReport.read(Files.readString(out.resolve("run.json")));
        assertThat(run.plan().isCapacitySearch()).isTrue();
        assertThat(run.environments()).extracting(e -> e.environment()).containsExactly("local", "docker");
        for (var e : run.environments()) {
            var c = e.capacity();
            assertThat(e.failure()).as(e.environment()).isNull();
            assertThat(c).as(e.environment()).isNotNull();
            assertThat(c.found()).as(e.environment() + ": " + c.note()).isTrue();
            assertThat(c.capacityRate()).as(e.environment()).isGreaterThanOrEqualTo(100);
            assertThat(c.steps()).as(e.environment()).hasSizeGreaterThanOrEqualTo(3);
            // Every step held to the objective, with its own figures; the best passing step is the capacity.
            assertThat(c.steps()).allSatisfy(s -> {
                assertThat(s.achievedRate()).isPositive();
                assertThat(s.p50Millis()).isPositive().isLessThanOrEqualTo(s.p99Millis());
                assertThat(s.hostCpuPercent()).isPositive();
                assertThat(s.passed()).isEqualTo(s.p99Millis() <= 100 && s.valid() && s.errors() <= 0.01 * s.requests()
                        && s.missed() <= 0.01 * (s.requests() + s.missed()));
            });
            assertThat(c.steps().stream().filter(CapacityStep::passed).mapToDouble(CapacityStep::targetRate).max().orElseThrow())
                    .isEqualTo(c.capacityRate());
            assertThat(c.steps().stream().filter(s -> !s.passed())).as(e.environment() + ": a failing step bounds it").isNotEmpty();
        }

        BufferedImage chart = ImageIO.read(out.resolve("capacity.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1200);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("| Capacity at p99 < 100 ms").contains("### Capacity search").contains("![Latency against throughput](capacity.png)")
                .contains("| Step | Target | Achieved | p50 | p90 | p99 | p99.9 |");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Capacity search</h2>").contains("data:image/png;base64,");

        // The history keeps it like any run, and shows it.
        StringWriter list = new StringWriter();
        assertThat(GalleryBenchCli.run(own.paths(), new String[] {"history", "list"}, new PrintWriter(list), new PrintWriter(new StringWriter()))).isZero();
        assertThat(list.toString()).contains(run.id()).contains("capacity").containsPattern("local: capacity [0-9,]+/s at p99 < 100 ms");
        StringWriter show = new StringWriter();
        assertThat(GalleryBenchCli.run(own.paths(), new String[] {"history", "show", run.id()}, new PrintWriter(show), new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(show.toString()).contains("Capacity at p99 < 100 ms");
        Path again = home.resolve("again");
        assertThat(GalleryBenchCli.run(own.paths(), new String[] {"report", run.id(), "--format", "html,png", "--out", again.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))).isZero();
        assertThat(again.resolve("capacity.png")).exists();
    }

    @Test
    void aBadObjectiveIsAClearErrorBeforeAnythingRuns() {
        StringWriter stderr = new StringWriter();
        int code = GalleryBenchCli.run(own.paths(), new String[] {"capacity", "--env", "local", "--objective", "fast"}, new PrintWriter(new StringWriter()),
                new PrintWriter(stderr));
        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString()).contains("bad objective 'fast': write it like p99<50ms");
    }
}
