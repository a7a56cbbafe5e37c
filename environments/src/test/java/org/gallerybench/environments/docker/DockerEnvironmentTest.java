package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Against the real Docker engine that the README's test command starts: build the image, run the container,
 * upload into it, restart it, sample it under load, and leave nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEnvironmentTest {
    static final int PORT = 5090;
    static DockerEnvironment docker;

    @BeforeAll
    static void connect() {
        // A container and volume of the test's own: the user's gallery (gallerybench-gallery, gallerybench-uploads) is never touched.
        docker = new DockerEnvironment(DockerSettings.defaults().withHostPort(PORT).withContainerName("gallerybench-test-env"));
        docker.connect();
        docker.removeContainer();
        docker.removeVolume();
    }

    @Test
    @Order(0)
    void usesANameOfItsOwn() {
        assertThat(docker.settings().containerName()).isNotEqualTo(DockerSettings.CONTAINER);
        assertThat(docker.settings().volumeName()).isEqualTo("gallerybench-test-env-uploads").isNotEqualTo(DockerSettings.VOLUME);
    }

    @AfterAll
    static void cleanUp() {
        if (docker != null) {
            docker.removeContainer();
            docker.removeVolume();
            docker.close();
        }
    }

    @Test
    @Order(1)
    void buildsTheImageAndRunsTheContainer() {
        docker.deploy(TestServer.artifact());
        assertThat(docker.image()).hasValueSatisfying(i -> assertThat(i).startsWith("gallerybench/gallery:"));
        var inspected = docker.connect().client().inspectImageCmd(docker.image().orElseThrow()).exec();
        assertThat(inspected.getConfig().getLabels()).containsEntry("org.gallerybench.managed", "true");
        assertThat(inspected.getConfig().getUser()).isEqualTo("gallery");

        StartTiming fresh = docker.freshStart();
        assertThat(fresh.kind()).isEqualTo("fresh start");
        assertThat(fresh.marks()).extracting(StartTiming.Mark::name)
                .containsExactly(StartTiming.ISSUED, StartTiming.CREATED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
        assertThat(docker.status()).isInstanceOf(EnvironmentStatus.Ready.class);
        assertThat(TestHttp.get(docker.endpoint(), "/").statusCode()).isEqualTo(200);

        var container = docker.connect().client().inspectContainerCmd(docker.containerId().orElseThrow()).exec();
        assertThat(container.getConfig().getLabels()).containsEntry("org.gallerybench.managed", "true");
        assertThat(container.getHostConfig().getInit()).isTrue();
    }

    @Test
    @Order(2)
    void anUploadSurvivesARestart() {
        byte[] png = TestHttp.png(120, 80, 0x884422);
        assertThat(TestHttp.upload(docker.endpoint(), "in-docker.png", png).statusCode()).isEqualTo(201);

        StartTiming restart = docker.restart();
        assertThat(restart.kind()).isEqualTo("restart");
        assertThat(restart.marks()).extracting(StartTiming.Mark::name).containsExactly(StartTiming.ISSUED, StartTiming.STOPPED,
                StartTiming.START_ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);

        HttpResponse<byte[]> back = TestHttp.get(docker.endpoint(), "/images/in-docker.png");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(png);
    }

    @Test
    @Order(3)
    void statsMoveUnderLoadAndMemoryMatchesDockerStats() throws Exception {
        List<ResourceSample> idle = new ArrayList<>();
        List<ResourceSample> loaded = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        try (SampleStream stats = docker.openSampler(Duration.ofSeconds(1))) {
            idle.add(stats.poll(Duration.ofSeconds(10)).orElseThrow());
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor();
                 HttpClient client = HttpClient.newHttpClient()) {
                for (int i = 0; i < 16; i++) {
                    load.submit(() -> {
                        HttpRequest get = HttpRequest.newBuilder(docker.endpoint()).build();
                        while (loading.get()) {
                            client.send(get, HttpResponse.BodyHandlers.discarding());
                        }
                        return null;
                    });
                }
                for (int i = 0; i < 3; i++) {
                    loaded.add(stats.poll(Duration.ofSeconds(10)).orElseThrow());
                }
                loading.set(false);
            }
        }
        assertThat(loaded).allSatisfy(s -> {
            assertThat(s.source()).isEqualTo("docker stats + docker-proxy, shim");
            assertThat(s.appMemoryBytes()).as("JVM RSS from docker top").isGreaterThan(20L << 20);
            assertThat(s.environmentMemoryBytes()).isGreaterThan(20L << 20);
            // The host pays the container, plus the userland proxy and the shim: more than the cgroup alone.
            assertThat(s.hostMemoryBytes()).isGreaterThan(s.environmentMemoryBytes());
            assertThat(s.hostCpuPercent()).isGreaterThanOrEqualTo(s.cpuPercent());
        });
        // Under load through a published port, docker-proxy itself works: the host's CPU is clearly above the container's.
        assertThat(loaded.stream().mapToDouble(s -> s.hostCpuPercent() - s.cpuPercent()).max().orElseThrow())
                .as("docker-proxy's CPU").isGreaterThan(5.0);
        assertThat(org.gallerybench.environments.HostProcesses.pids(
                org.gallerybench.environments.HostProcesses.dockerProxy(PORT))).as("docker-proxy of port " + PORT).isNotEmpty();
        double peak = loaded.stream().mapToDouble(ResourceSample::cpuPercent).max().orElseThrow();
        assertThat(peak).as("CPU under load").isGreaterThan(idle.getFirst().cpuPercent() + 20);

        // The same container, read by the docker CLI right after one of ours.
        long ours;
        try (SampleStream stats = docker.openSampler(Duration.ofSeconds(1))) {
            ours = stats.poll(Duration.ofSeconds(10)).orElseThrow().environmentMemoryBytes();
        }
        long cli = dockerCliMemory(docker.containerId().orElseThrow());
        assertThat((double) ours).isCloseTo(cli, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    @Order(4)
    void stopsAndLeavesNoManagedContainerBehind() {
        docker.stop();
        assertThat(docker.status()).isInstanceOf(EnvironmentStatus.Deployed.class);
        assertThat(docker.status().label()).isEqualTo("ready to start");
        docker.removeContainer();
        // Its own container is gone; containers of other names (another test's, the user's) are none of its business.
        List<Container> managed = docker.connect().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("org.gallerybench.managed", "true")).exec().stream()
                .filter(c -> List.of(c.getNames()).contains("/" + docker.settings().containerName())).toList();
        assertThat(managed).isEmpty();
    }

    /**
     * The status is read from the engine, whoever made what it holds: each check below is by a new environment object,
     * as a freshly opened dashboard or another process is, after the docker CLI (another process) changed the state. A
     * container of another build left running: said, and a deploy replaces it; the container killed: "stopped (exit
     * 137: killed)", and a start starts that same container again; no container: the image of this build is there.
     */
    @Test
    @Order(5)
    void theStatusSaysWhatTheEngineHoldsWhoeverMadeIt() {
        String name = docker.settings().containerName();
        String thisBuild = "gallerybench/gallery:" + TestServer.artifact().shortDigest();
        String another = "gallerybench-test/another-build:1";
        try {
            org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of("docker", "build", "-q", "-t", another, "-")
                    .input("FROM " + thisBuild + "\nLABEL org.gallerybench.build=another\n").deadline(Duration.ofMinutes(2)), "docker build");
            sh("docker", "run", "-d", "--name", name, "--label", "org.gallerybench.managed=true", "-p", "127.0.0.1:" + PORT + ":8080", another);

            try (DockerEnvironment fresh = new DockerEnvironment(docker.settings())) {
                fresh.expect(TestServer.artifact());
                EnvironmentStatus other = fresh.status();
                assertThat(other.label()).isEqualTo("running another build");
                assertThat(other.message()).isEqualTo("Container " + name + " runs " + another + ", not this build (" + thisBuild
                        + "): deploy to replace it.");
                assertThat(other.actions(false)).containsExactlyInAnyOrder(EnvironmentStatus.Action.DEPLOY, EnvironmentStatus.Action.STOP);

                fresh.deploy(TestServer.artifact());
                assertThat(fresh.status()).isInstanceOf(EnvironmentStatus.Ready.class);
                assertThat(sh("docker", "inspect", "-f", "{{.Config.Image}}", name)).isEqualTo(thisBuild);
            }
            String id = sh("docker", "inspect", "-f", "{{.Id}}", name);
            sh("docker", "kill", name);

            try (DockerEnvironment fresh = new DockerEnvironment(docker.settings())) {
                fresh.expect(TestServer.artifact());
                EnvironmentStatus killed = fresh.status();
                assertThat(killed.label()).isEqualTo("stopped (exit 137: killed)");
                assertThat(killed.message()).isEqualTo("Container " + name + " of this build was killed (" + thisBuild + "): Start starts it again.");
                assertThat(killed.actions(false)).containsExactly(EnvironmentStatus.Action.START);

                fresh.deploy(TestServer.artifact());
                fresh.start();
                assertThat(fresh.status()).isInstanceOf(EnvironmentStatus.Ready.class);
                assertThat(sh("docker", "inspect", "-f", "{{.Id}}", name)).as("the same container, started again").isEqualTo(id);
                fresh.stop();
            }
            sh("docker", "rm", name);
            try (DockerEnvironment fresh = new DockerEnvironment(docker.settings())) {
                fresh.expect(TestServer.artifact());
                assertThat(fresh.status()).isInstanceOfSatisfying(EnvironmentStatus.Deployed.class, d -> assertThat(d.detail())
                        .isEqualTo("Image of this build present (" + thisBuild + "); no container yet: Start makes one."));
            }
        } finally {
            org.gallerybench.environments.Child.quick("docker", "rm", "-f", name);
            org.gallerybench.environments.Child.quick("docker", "rmi", another);
        }
    }

    /** Runs a command (docker's, as another process on the machine), failing the test unless it exits 0; its output, trimmed. */
    private static String sh(String... command) {
        return org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of(command).deadline(Duration.ofMinutes(2)),
                String.join(" ", List.of(command).subList(0, 2))).strip();
    }

    /** {@code docker stats --no-stream}'s MEM USAGE, in bytes. */
    static long dockerCliMemory(String id) throws IOException, InterruptedException {
        String out = org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of("docker", "stats", "--no-stream", "--format",
                "{{.MemUsage}}", id).deadline(java.time.Duration.ofSeconds(60)), "docker stats").strip();
        String usage = out.split("/")[0].strip();
        return parseSize(usage);
    }

    static long parseSize(String s) {
        String number = s.replaceAll("[^0-9.]", "");
        String unit = s.replaceAll("[0-9.]", "").strip();
        double factor = switch (unit) {
            case "B" -> 1;
            case "KiB", "kB" -> 1024;
            case "MiB", "MB" -> 1024 * 1024;
            case "GiB", "GB" -> 1024.0 * 1024 * 1024;
            default -> throw new IllegalArgumentException("unit " + unit + " in " + s);
        };
        return (long) (Double.parseDouble(number) * factor);
    }
}
