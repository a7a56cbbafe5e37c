package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.LoadTick;
import org.gallerybench.engine.load.RequestKind;
import org.gallerybench.engine.load.RequestMix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.docker.DockerEnvironment;
import org.gallerybench.environments.docker.DockerSettings;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end with the real local environment: events, results, cancellation, a failing environment. */
class ComparisonRunTest {
    @TempDir
    Path data;
    final List<Environment> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Environment::close);
    }

    @Test
    void aRunPublishesItsEventsAndReturnsRecords() throws Exception {
        LocalEnvironment localEnv = local();
        // A user's own files in the store: the run moves them aside, never deletes or overwrites one. Among them one named
        // like a dataset image, one named like the load's uploads, and one whose name is already kept aside from before.
        Path store = localEnv.uploadDir();
        Path kept = store.resolve(".kept-by-gallerybench");
        java.nio.file.Files.createDirectories(kept);
        Map<Path, byte[]> users = new LinkedHashMap<>();
        users.put(store.resolve("mine.png"), org.gallerybench.environments.TestHttp.png(32, 32, 0x123456));
        users.put(kept.resolve("mine.png"), org.gallerybench.environments.TestHttp.png(24, 24, 0x654321));
        users.put(store.resolve("bench-0003.png"), org.gallerybench.environments.TestHttp.png(40, 30, 0xabcdef));
        users.put(store.resolve("gallerybench-load.png"), org.gallerybench.environments.TestHttp.png(20, 20, 0x0f0f0f));
        users.forEach((file, bytes) -> write(file, bytes));
        Map<String, Environment> envs = Map.of("local", localEnv);
        RunPlan plan = RunPlan.of(List.of("local"), LoadProfile.closed(8, Duration.ofSeconds(3)).withWarmup(Duration.ofSeconds(1))
                .withMix(RequestMix.browsing()).withUploadBytes(16 * 1024)).withStartupTrials(2, false, 2).withSampling(Duration.ofMillis(500), Duration.ZERO);
        List<RunEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        RunResult result = run(plan, envs, events);
        assertThat(result.status()).isEqualTo(RunResult.Status.COMPLETED);
        EnvironmentResult local = result.environment("local").orElseThrow();
        assertThat(local.measured()).isTrue();
        // Two cold starts (the headline) and two restarts, each with the same phases as everywhere.
        assertThat(local.startupTrials()).hasSize(4).allSatisfy(t -> assertThat(t.totalMillis()).isPositive());
        assertThat(local.startupTrials()).filteredOn(StartupTrial::cold).hasSize(2).allSatisfy(t -> assertThat(t.phases().keySet())
                .containsExactly("command issued → running", "running → port open", "port open → first HTTP 200"));
        assertThat(local.startupTrials()).filteredOn(StartupTrial::restart).hasSize(2).allSatisfy(t -> assertThat(t.phases().keySet())
                .containsExactly("command issued → stopped", "stopped → start issued", "start issued → running", "running → port open",
                        "port open → first HTTP 200"));
        assertThat(local.summary().startupMedianMillis()).isPositive();
        assertThat(local.summary().restartMedianMillis()).isGreaterThan(0);
        assertThat(local.load().ticks()).hasSize(3);
        assertThat(local.load().latencyByKind()).containsKeys(RequestKind.PAGE, RequestKind.IMAGE, RequestKind.UPLOAD);
        assertThat(local.resources()).isNotEmpty();
        assertThat(local.summary().requestsPerSecond()).isPositive();
        assertThat(local.summary().appMemoryMeanBytes()).isGreaterThan(20 * 1024 * 1024);
        assertThat(local.summary().errors()).isZero();

        assertThat(events.getFirst()).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.getLast()).isInstanceOf(RunEvent.RunFinished.class);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.PhaseStarted).extracting(e -> ((RunEvent.PhaseStarted) e).phase())
                .containsSubsequence(RunEvent.Phase.DEPLOY, RunEvent.Phase.START, RunEvent.Phase.STARTUP_TRIALS, RunEvent.Phase.WARMUP,
                        RunEvent.Phase.LOAD, RunEvent.Phase.LATENCY);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.StartupMeasured).hasSize(4);
        // Each round ends with GET / at one request in flight: its own figures, not drawn in the load's chart.
        assertThat(events).filteredOn(e -> e instanceof RunEvent.LoadTicked).hasSize(3);
        assertThat(local.rounds()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.p50AtOneMillis()).isPositive().isLessThanOrEqualTo(r.p99AtOneMillis());
            assertThat(r.p50AtOneMillis()).as("one request alone waits for no other").isLessThan(r.p50Millis() * 2 + 5);
        });
        assertThat(events).filteredOn(e -> e instanceof RunEvent.ResourceSampled).isNotEmpty();
        // The engine says where each sample belongs on the environment's running axis, the rounds laid end to end: the
        // ticks published live sit exactly where the stored run has them, and the drawn readings lie within the loads.
        assertThat(events.stream().filter(e -> e instanceof RunEvent.LoadTicked).map(e -> ((RunEvent.LoadTicked) e).at().seconds()).toList())
                .isEqualTo(local.load().ticks().stream().map(t -> (double) t.second()).toList());
        assertThat(events.stream().filter(e -> e instanceof RunEvent.LoadTicked).map(e -> ((RunEvent.LoadTicked) e).at().round()).toList())
                .containsExactly(1, 2, 3);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.ResourceSampled s && s.at().drawn())
                .allSatisfy(e -> assertThat(((RunEvent.ResourceSampled) e).at().seconds()).isBetween(-1.0 - 1e-9, local.load().seconds() + 1));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.EnvironmentFinished).hasSize(1);
        // The run found the local server stopped, so it leaves it stopped.
        assertThat(envs.get("local").status()).isNotInstanceOf(EnvironmentStatus.Ready.class);
        // It served the run's 200 images; the load's uploads (5 % of the mix) are gone afterwards, the user's image kept aside.
        assertThat(result.dataset().count()).isEqualTo(200);
        assertThat(local.load().latencyByKind().get(RequestKind.UPLOAD).count()).isPositive();
        try (var files = java.nio.file.Files.list(localEnv.uploadDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList())
                    .hasSize(200).allSatisfy(n -> assertThat(n).startsWith("bench-"));
        }
        // Every user file is there afterwards, byte for byte: the one already kept where it was, the others beside it under
        // names of their own.
        List<byte[]> keptAfter = new ArrayList<>();
        try (var files = java.nio.file.Files.list(kept)) {
            for (Path f : files.toList()) {
                keptAfter.add(java.nio.file.Files.readAllBytes(f));
            }
        }
        assertThat(keptAfter).hasSize(4);
        users.values().forEach(bytes -> assertThat(keptAfter).anySatisfy(b -> assertThat(b).isEqualTo(bytes)));
        assertThat(kept.resolve("mine.png")).hasBinaryContent(users.get(kept.resolve("mine.png")));
        assertThat(kept.resolve("mine (2).png")).hasBinaryContent(users.get(store.resolve("mine.png")));
        assertThat(kept.resolve("bench-0003.png")).hasBinaryContent(users.get(store.resolve("bench-0003.png")));
        // ... and the dataset's own image took the place of the user's file of that name.
        assertThat(store.resolve("bench-0003.png")).hasSameBinaryContentAs(result.dataset() == null ? null
                : org.gallerybench.environments.Dataset.ensure(org.gallerybench.engine.setup.AppPaths.cacheHome(), org.gallerybench.environments.Dataset.GALLERY_SEED, 200)
                        .dir().resolve("bench-0003.png"));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anEnvironmentThatFailsIsReportedAndTheOthersAreStillMeasured() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        DockerEnvironment unreachable = new DockerEnvironment(DockerSettings.defaults().withDockerHost("tcp://127.0.0.1:" + closed));
        opened.add(unreachable);
        Map<String, Environment> envs = new LinkedHashMap<>();
        envs.put("local", local());
        envs.put("docker", unreachable);
        RunPlan plan = RunPlan.of(List.of("local", "docker"), LoadProfile.closed(4, Duration.ofSeconds(2)))
                .withStartupTrials(1, false, 1).withSampling(Duration.ofMillis(500), Duration.ZERO);
        List<RunEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
        RunResult result = run(plan, envs, events);
        assertThat(result.environment("local").orElseThrow().measured()).isTrue();
        EnvironmentResult docker = result.environment("docker").orElseThrow();
        assertThat(docker.measured()).isFalse();
        assertThat(docker.failure()).startsWith("Docker engine not reachable at tcp://127.0.0.1:" + closed);
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("Docker container was not measured"));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RunEvent.RunFailed.class,
                f -> assertThat(f.environment()).isEqualTo("docker")));
        assertThat(result.comparisons()).isEmpty();
    }

    @Test
    void aCancelledRunStopsPromptlyAndCleansUp() throws Exception {
        LocalEnvironment local = local();
        Map<String, Environment> envs = Map.of("local", local);
        RunPlan plan = RunPlan.of(List.of("local"), LoadProfile.closed(4, Duration.ofSeconds(120))).withStartupTrials(1, false, 1);
        RunResult result;
        long start;
        try (EventBus bus = new EventBus()) {
            ComparisonRun run = new ComparisonRun(plan, envs, TestServer.artifact(), bus);
            bus.subscribe(e -> {
                if (e instanceof RunEvent.LoadTicked t && t.tick().second() == 2) {
                    run.cancel();
                }
            });
            start = System.nanoTime();
            result = run.run();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(result.status()).isEqualTo(RunResult.Status.CANCELLED);
        assertThat(local.pid()).as("the server the run started is stopped again").isEmpty();
    }

    @Test
    void roundsAreMergedIntoOneResultAndKeptAsIndependentSamples() throws Exception {
        Map<String, Environment> envs = Map.of("local", local());
        RunPlan plan = RunPlan.of(List.of("local"), LoadProfile.closed(4, Duration.ofSeconds(4)))
                .withStartupTrials(1, false, 1).withRounds(2).withSampling(Duration.ofMillis(500), Duration.ZERO);
        RunResult result;
        try (EventBus bus = new EventBus()) {
            result = new ComparisonRun(plan, envs, TestServer.artifact(), bus).run();
        }
        EnvironmentResult local = result.environment("local").orElseThrow();
        assertThat(local.load().ticks()).hasSize(4).extracting(LoadTick::second).containsExactly(1, 2, 3, 4);
        assertThat(local.load().seconds()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(local.rounds()).hasSize(2).allSatisfy(r -> assertThat(r.requestsPerSecond()).isPositive());
        assertThat(local.summary().rounds()).isEqualTo(2);
        assertThat(local.summary().intervals()).as("two rounds are too few for an interval").isEmpty();
        assertThat(result.plan().seed()).as("the seed the run drew is recorded").isNotZero();
    }

    /**
     * {@code docker kill} of the container during its load: docker's part ends with a clear line that says the
     * container stopped, what was measured is kept, and the run goes on with the next environment. Both galleries
     * hold the run's 200 images.
     */
    @Test
    void aContainerKilledDuringItsLoadEndsItsPartClearlyAndTheRunGoesOn() throws Exception {
        String name = "gallerybench-test-kill";
        DockerEnvironment docker = new DockerEnvironment(DockerSettings.defaults().withContainerName(name)
                .withHostPort(org.gallerybench.benchmarks.BenchSupport.freePort()));
        opened.add(docker);
        LocalEnvironment local = local();
        Map<String, Environment> envs = new LinkedHashMap<>();
        envs.put("docker", docker);
        envs.put("local", local);
        // 9 s a round: the kill at its third second, then 3 s of failures before the load breaks off, with room to spare.
        RunPlan plan = RunPlan.of(List.of("docker", "local"), LoadProfile.closed(8, Duration.ofSeconds(18)).withWarmup(Duration.ofSeconds(1))
                        .withMix(RequestMix.parse("page=70,image=30")))
                .withStartupTrials(1, false, 1).withRounds(2).withSampling(Duration.ofMillis(500), Duration.ZERO);
        RunResult result;
        try (EventBus bus = new EventBus()) {
            bus.subscribe(e -> {
                if (e instanceof RunEvent.LoadTicked t && t.environment().equals("docker") && t.tick().second() == 3) {
                    try {
                        org.gallerybench.environments.Child.quick("docker", "kill", name);
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            });
            result = new ComparisonRun(plan, envs, TestServer.artifact(), bus).run();
        } finally {
            org.gallerybench.environments.Child.quick("docker", "rm", "-f", name);
            org.gallerybench.environments.Child.quick("docker", "volume", "rm", "-f", name + "-uploads");
        }
        EnvironmentResult killed = result.environment("docker").orElseThrow();
        assertThat(killed.failure()).contains("every request failed for 3 s").contains("of this build was killed (gallerybench/gallery:");
        assertThat(killed.hasData()).as("what was measured is kept").isTrue();
        assertThat(killed.load().ticks()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(killed.load().ticks().subList(0, 2)).allSatisfy(t -> assertThat(t.requestsPerSecond()).isPositive());
        EnvironmentResult next = result.environment("local").orElseThrow();
        assertThat(next.measured()).as("the run went on: " + next.failure()).isTrue();
        assertThat(next.rounds()).hasSize(2);
        assertThat(next.load().errors()).isZero();
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("Docker container: the load broke off"));
    }

    private LocalEnvironment local() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LocalEnvironment local = new LocalEnvironment(LocalSettings.defaults(data).withPort(port)
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot")));
        opened.add(local);
        return local;
    }

    /** Runs {@code plan} on {@code envs}, every event it publishes into {@code events}, all handled before it returns. */
    private static RunResult run(RunPlan plan, Map<String, Environment> envs, List<RunEvent> events) throws InterruptedException {
        try (EventBus bus = new EventBus()) {
            bus.subscribe(events::add);
            RunResult result = new ComparisonRun(plan, envs, TestServer.artifact(), bus).run();
            bus.drain();
            return result;
        }
    }
}
