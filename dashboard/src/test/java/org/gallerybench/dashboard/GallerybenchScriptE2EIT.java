package org.gallerybench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.dashboard.bench.AppPaths;
import org.gallerybench.dashboard.bench.ComparisonRun;
import org.gallerybench.dashboard.bench.EnvironmentResult;
import org.gallerybench.dashboard.bench.EventBus;
import org.gallerybench.dashboard.bench.LoadProfile;
import org.gallerybench.dashboard.bench.RequestMix;
import org.gallerybench.dashboard.bench.RunEvent;
import org.gallerybench.dashboard.bench.RunPlan;
import org.gallerybench.dashboard.bench.RunResult;
import org.gallerybench.dashboard.bench.EnvironmentCatalog;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.SettingsStore;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.TestVm;
import org.gallerybench.environments.vm.VmEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as a user runs it: the README's {@code ./gallerybench compare} on the local process, the Docker
 * container and the Vagrant VM (real engine, real VM under QEMU), each gallery holding 200 images, twice in a row;
 * then Ctrl-C in the middle of a run. An integration test (failsafe): it runs after the jars are packaged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GallerybenchScriptE2EIT {
    private static final int IMAGES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;

    /**
     * Names and ports of the test's own, so that a user's gallery and VM on this machine are never touched: the
     * container's name comes from the home folder, the VM is the tests' machine, and the ports are not the defaults.
     */
    static final EnvironmentSettings SETTINGS = EnvironmentSettings.defaults().withLocalPort(5092).withDockerPort(5090)
            .withVm("", "", 22, "", "", TestVm.PORT);

    @BeforeAll
    static void settingsOfItsOwn() {
        System.setProperty("gallerybench.vmName", TestVm.MACHINE);
        AppPaths paths = new AppPaths(TestServer.projectRoot(), home, home.resolve("config"));
        SettingsStore store = new SettingsStore(paths.settingsFile());
        SettingsStore.Saved saved = SettingsStore.Saved.defaults();
        store.save(new SettingsStore.Saved(SETTINGS, saved.profile(), saved.selected(), saved.exportWidth(), saved.exportHeight()));
    }

    @Test
    @Order(1)
    void compareLocalDockerAndVmTwiceWithRealisticGalleries() throws Exception {
        fillGalleries(); // a user's own images: the runs move them aside, never delete them
        JsonNode first = compare("first");
        JsonNode second = compare("second");
        assertThat(first.path("dataset").path("count").asInt()).isEqualTo(IMAGES);
        assertThat(second.path("dataset").path("digest").asText()).as("the same gallery both times (same seed)")
                .isEqualTo(first.path("dataset").path("digest").asText());

        // The second run against the first: like for like, and every difference the tool finds is said.
        Process history = script("history", "compare", first.path("id").asText(), second.path("id").asText());
        String compared = new String(history.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(history.waitFor()).as(compared).isZero();
        assertThat(compared).contains("Like for like");
        for (int i = 0; i < 3; i++) {
            JsonNode a = first.path("environments").get(i);
            JsonNode b = second.path("environments").get(i);
            String id = a.path("environment").asText();
            JsonNode interval = a.path("summary").path("intervals").path("requests/s");
            assertThat(interval.isMissingNode()).as(id + ": three rounds give an interval").isFalse();
            double rps = b.path("summary").path("requestsPerSecond").asDouble();
            boolean inside = rps >= interval.path("low").asDouble() && rps <= interval.path("high").asDouble();
            String row = compared.lines().filter(l -> l.startsWith(id + " ") && l.contains("requests/s")).findFirst().orElse("");
            assertThat(row).as(id + "'s throughput row in:\n" + compared).isNotEmpty();
            if (!inside) {
                // Outside the first run's interval: the comparison says why, with the 95 % interval of B/A from both runs'
                // rounds (on this shared machine a second run is often within the noise: "neither", the interval spanning 1).
                assertThat(row).as("%s: %.0f req/s is outside [%.0f, %.0f]", id, rps, interval.path("low").asDouble(),
                        interval.path("high").asDouble()).containsPattern("\\[\\d[\\d.]*×, \\d[\\d.]*×\\]")
                        .containsAnyOf("neither", " A", " B");
            }
        }
    }

    /** Ctrl-C during a run: exit 130, nothing left running that the run started, a partial report and a cancelled history entry. */
    @Test
    @Order(2)
    void ctrlCDuringARunRestoresEverythingAndKeepsThePartialResult() throws Exception {
        List<String> before = running();
        Path out = home.resolve("cancelled");
        Process p = script("compare", "--env", "local,docker", "--duration", "120s", "--warmup", "1s", "--startup-trials", "1",
                "--rounds", "2", "--concurrency", "8", "--out", out.toString(), "--label", "ctrl-c");
        StringBuilder output = new StringBuilder();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline && !textOf(output).contains("local · load")) {
            Thread.sleep(200);
        }
        assertThat(textOf(output)).as("the run reached its load").contains("local · load");
        Thread.sleep(3000);
        long signalled = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        reading.get(30, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as(textOf(output)).isEqualTo(130);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).as("restored within 60 s").isLessThan(60);
        assertThat(running()).as("nothing left running that was not running before").isEqualTo(before);

        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(run.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(run.path("environments").get(0).path("load").path("ticks").size()).as("what was measured is kept").isPositive();
        assertThat(Files.readString(out.resolve("report.html"))).contains("Local process");
        Process history = script("history", "list");
        String list = new String(history.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(history.waitFor()).isZero();
        assertThat(list).contains("cancelled").contains("[ctrl-c]");
    }

    /** The VM's server killed over SSH during its load: the VM's part ends with a clear line, and the run goes on. */
    @Test
    @Order(3)
    void aVmServerKilledDuringItsLoadEndsItsPartClearlyAndTheRunGoesOn() throws Exception {
        AppPaths paths = new AppPaths(TestServer.projectRoot(), home, home.resolve("config"));
        Map<String, Environment> envs = new EnvironmentCatalog(paths, SETTINGS).create(List.of("vm", "local"));
        VmEnvironment vm = (VmEnvironment) envs.get("vm");
        RunPlan plan = RunPlan.of(List.of("vm", "local"), LoadProfile.closed(8, Duration.ofSeconds(40)).withWarmup(Duration.ofSeconds(2))
                        .withMix(RequestMix.parse("page=70,image=30")))
                .withStartupTrials(1, false, 1).withRounds(2).withSampling(Duration.ofSeconds(1), Duration.ZERO);
        RunResult result;
        try (EventBus bus = new EventBus()) {
            bus.subscribe(e -> {
                if (e instanceof RunEvent.LoadTicked t && t.environment().equals("vm") && t.tick().second() == 3) {
                    vm.ssh().exec("sudo -n systemctl kill -s KILL gallery.service", Duration.ofSeconds(60));
                }
            });
            result = new ComparisonRun(plan, envs, ServerArtifact.of(paths.serverJar()), bus).run();
        } finally {
            envs.values().forEach(Environment::close);
        }
        EnvironmentResult killed = result.environment("vm").orElseThrow();
        assertThat(killed.failure()).as("the VM's line").startsWith("the load broke off: every request failed for 3 s (");
        assertThat(killed.hasData()).as("what was measured is kept").isTrue();
        assertThat(killed.load().ticks().getFirst().requestsPerSecond()).isPositive();
        EnvironmentResult next = result.environment("local").orElseThrow();
        assertThat(next.measured()).as("the run went on: " + next.failure()).isTrue();
        assertThat(next.rounds()).hasSize(2);
    }

    private static String textOf(StringBuilder b) {
        synchronized (b) {
            return b.toString();
        }
    }

    /** The gallery servers and containers of this test's home: local server processes and running gallery containers. */
    private static List<String> running() throws Exception {
        List<String> out = new ArrayList<>();
        Process ps = new ProcessBuilder("pgrep", "-af", "gallery-server").redirectErrorStream(true).start();
        new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(home.toString())).forEach(out::add);
        ps.waitFor();
        Process docker = new ProcessBuilder("docker", "ps", "--filter", "label=org.gallerybench.managed=true", "--format", "{{.Names}}")
                .redirectErrorStream(true).start();
        new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().forEach(out::add);
        docker.waitFor();
        return out;
    }

    /** Each environment's gallery gets 200 images (JPEG photos and PNGs), through its own HTTP endpoint. */
    private static void fillGalleries() throws Exception {
        AppPaths paths = new AppPaths(TestServer.projectRoot(), home, home.resolve("config"));
        EnvironmentCatalog catalog = new EnvironmentCatalog(paths, SETTINGS);
        ServerArtifact artifact = ServerArtifact.of(paths.serverJar());
        for (Map.Entry<String, Environment> e : catalog.create(List.of("local", "docker", "vm")).entrySet()) {
            try (Environment env = e.getValue()) {
                env.deploy(artifact);
                env.start();
                assertThat(BenchSupport.fillGallery(env.endpoint(), 5)).as(e.getKey()).isGreaterThanOrEqualTo(5);
                env.stop();
            }
        }
    }

    private static JsonNode compare(String label) throws Exception {
        Path out = home.resolve("results-" + label);
        Process p = script("compare", "--env", "local,docker,vm", "--seed", "2026", "--dataset", Integer.toString(IMAGES), "--duration", "9s",
                "--warmup", "2s", "--rounds", "3", "--startup-trials", "2",
                "--concurrency", "16", "--mix", "page=70,image=30", "--out", out.toString(), "--threshold", "errors=0", "--label", label);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("| Metric | Local process | Docker container | Vagrant VM").contains("threshold errors=0");

        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(run.path("plan").path("seed").asLong()).as("the seed is recorded").isNotZero();
        for (JsonNode env : run.path("environments")) {
            String id = env.path("environment").asText();
            assertThat(env.path("failure").isNull()).as(id + " failure: " + env.path("failure")).isTrue();
            assertThat(env.path("startupTrials").size()).as(id + ": 2 cold starts and 2 restarts").isEqualTo(4);
            assertThat(env.path("rounds").size()).as(id).isEqualTo(3);
            assertThat(env.path("load").path("ticks").size()).as(id).isGreaterThanOrEqualTo(9);
            for (JsonNode tick : env.path("load").path("ticks")) {
                assertThat(tick.path("requestsPerSecond").asDouble()).as(id + " second " + tick.path("second")).isPositive();
                assertThat(tick.path("errors").asLong()).as(id + " second " + tick.path("second")).isZero();
            }
            assertThat(env.path("load").path("latencyByKind").path("IMAGE").path("count").asLong()).as(id + " image requests").isPositive();
            assertThat(env.path("summary").path("errors").asLong()).as(id).isZero();
            assertThat(env.path("resources").size()).as(id).isPositive();
        }
        if (!run.path("machine").path("kvmUsable").asBoolean()) {
            assertThat(run.path("warnings").toString()).as("the emulation warning").contains("emulated (no KVM)");
            assertThat(output).contains("Vagrant VM (emulated (no KVM)");
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
        assertThat(Files.readString(out.resolve("report.md"))).contains("| Requests/s").contains("| Rounds");
        for (String chart : List.of("cpu", "memory", "latency", "throughput")) {
            BufferedImage img = ImageIO.read(out.resolve(chart + ".png").toFile());
            assertThat(img.getWidth()).as(chart).isEqualTo(1200);
            assertThat(img.getHeight()).as(chart).isEqualTo(600);
        }

        Process history = script("history", "list");
        String list = new String(history.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(history.waitFor()).isZero();
        assertThat(list).contains("[" + label + "]").contains("local,docker,vm");
        return run;
    }

    @AfterAll
    static void leaveTheVmHalted() throws Exception {
        // Nothing else needs the VM; an idle emulated VM still burns CPU that later tests would feel.
        Process p = script("env", "down", "vm", "--halt");
        p.getInputStream().readAllBytes();
        p.waitFor(5, TimeUnit.MINUTES);
        // The container and volume of this test's home (a name of its own) go with it.
        String name = new AppPaths(TestServer.projectRoot(), home, home.resolve("config")).dockerContainerName();
        for (List<String> command : List.of(List.of("docker", "rm", "-f", name), List.of("docker", "volume", "rm", "-f", name + "-uploads"))) {
            Process rm = new ProcessBuilder(command).redirectErrorStream(true).start();
            rm.getInputStream().readAllBytes();
            rm.waitFor(2, TimeUnit.MINUTES);
        }
    }

    static Process script(String... args) throws Exception {
        Path root = TestServer.projectRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("gallerybench").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        b.environment().put("GALLERYBENCH_HOME", home.toString());
        b.environment().put("GALLERYBENCH_VM_NAME", TestVm.MACHINE);
        return b.start();
    }
}
