package org.gallerybench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user runs it: the README's {@code ./gallerybench compare} on the local process, the Docker
 * container and the Vagrant VM (real engine, real VM under QEMU), then every output file is checked.
 * An integration test (failsafe): it runs after the jars are packaged.
 */
class GallerybenchScriptE2EIT {
    @TempDir
    static Path home;

    @Test
    void compareLocalDockerAndVmAndCheckEveryOutputFile() throws Exception {
        Path out = home.resolve("results");
        Process p = script("compare", "--env", "local,docker,vm", "--duration", "6s", "--warmup", "2s", "--startup-trials", "2",
                "--concurrency", "16", "--mix", "page=80,image=15,upload=5", "--upload-size", "32KiB", "--out", out.toString(),
                "--threshold", "errors=0", "--label", "e2e");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("| Metric | Local process | Docker container | Vagrant VM |").contains("threshold errors=0");

        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        for (JsonNode env : run.path("environments")) {
            String id = env.path("environment").asText();
            assertThat(env.path("failure").isNull()).as(id + " failure: " + env.path("failure")).isTrue();
            assertThat(env.path("startupTrials").size()).as(id).isEqualTo(2);
            assertThat(env.path("load").path("ticks").size()).as(id).isGreaterThanOrEqualTo(5);
            assertThat(env.path("summary").path("requestsPerSecond").asDouble()).as(id).isPositive();
            assertThat(env.path("resources").size()).as(id).isPositive();
        }
        JsonNode vm = run.path("environments").get(2);
        assertThat(vm.path("resources").get(0).path("source").asText()).isEqualTo("top");
        assertThat(vm.path("summary").path("hostMemoryMeanBytes").asDouble()).as("qemu's RSS").isPositive();
        assertThat(run.path("comparisons").size()).isGreaterThan(10);

        List<String> csv = Files.readAllLines(out.resolve("series.csv"));
        assertThat(csv.getFirst()).startsWith("environment,series,seconds");
        for (String id : List.of("local", "docker", "vm")) {
            assertThat(csv).anySatisfy(l -> assertThat(l).startsWith(id + ",resources,"));
            assertThat(csv).anySatisfy(l -> assertThat(l).startsWith(id + ",load,"));
        }
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("Vagrant VM").contains("data:image/png;base64,").doesNotContain("<script");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| Requests/s");
        for (String chart : List.of("cpu", "memory", "latency", "throughput")) {
            BufferedImage img = ImageIO.read(out.resolve(chart + ".png").toFile());
            assertThat(img.getWidth()).as(chart).isEqualTo(1200);
            assertThat(img.getHeight()).as(chart).isEqualTo(600);
        }

        Process history = script("history", "list");
        String list = new String(history.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(history.waitFor()).isZero();
        assertThat(list).contains("[e2e]").contains("local,docker,vm");
    }

    @AfterAll
    static void leaveTheVmHalted() throws Exception {
        // Nothing else needs the VM; an idle emulated VM still burns CPU that later tests would feel.
        Process p = script("env", "down", "vm", "--halt");
        p.getInputStream().readAllBytes();
        p.waitFor(5, TimeUnit.MINUTES);
    }

    static Process script(String... args) throws Exception {
        Path root = TestServer.projectRoot();
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("gallerybench").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        b.environment().put("GALLERYBENCH_HOME", home.toString());
        return b.start();
    }
}
