package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gVisor sandbox against the real engine with Debian's runsc registered (scripts/setup-machine does it): the
 * same image under the runsc runtime, on both network paths, and the clear error of an engine without the runtime.
 * Containers, volumes and ports of the test's own.
 */
class GvisorEnvironmentTest {
    static final int PORT = 5094;
    static final int HOST_NETWORK_PORT = 5095;
    static DockerEnvironment gvisor;

    @BeforeAll
    static void connect() {
        gvisor = new DockerEnvironment(DockerSettings.gvisorDefaults().withHostPort(PORT).withContainerName("gallerybench-test-gvisor"));
        gvisor.connect();
        gvisor.removeContainer();
        gvisor.removeVolume();
    }

    @AfterAll
    static void cleanUp() {
        if (gvisor != null) {
            gvisor.removeContainer();
            gvisor.removeVolume();
            gvisor.close();
        }
    }

    @Test
    void runsTheGalleryInTheSandboxColdStartsLoadsAndSamples() throws Exception {
        assertThat(gvisor.id()).isEqualTo("gvisor");
        assertThat(gvisor.displayName()).isEqualTo("gVisor sandbox");
        assertThat(gvisor.runtimeAvailable()).as("runsc registered with the engine (scripts/setup-machine)").isTrue();
        gvisor.deploy(TestServer.artifact());
        gvisor.start();
        var inspect = gvisor.connect().client().inspectContainerCmd(gvisor.containerId().orElseThrow()).exec();
        assertThat(inspect.getHostConfig().getRuntime()).isEqualTo("runsc");
        assertThat(TestHttp.upload(gvisor.endpoint(), "sandboxed.png", TestHttp.png(64, 48, 0x336699)).statusCode()).isEqualTo(201);

        StartTiming cold = gvisor.coldStart();
        System.out.println("gVisor cold start: " + cold);
        assertThat(cold.totalMillis()).isPositive();
        assertThat(new String(TestHttp.get(gvisor.endpoint(), "/api/images").body())).as("the upload survived the restart")
                .contains("sandboxed.png");
        assertThat(gvisor.status()).isInstanceOf(EnvironmentStatus.Ready.class);

        List<ResourceSample> loaded = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        try (SampleStream stats = gvisor.openSampler(Duration.ofSeconds(1));
             ExecutorService load = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < 8; i++) {
                load.submit(() -> {
                    HttpRequest get = HttpRequest.newBuilder(gvisor.endpoint()).build();
                    while (loading.get()) {
                        if (client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (int i = 0; i < 3; i++) {
                loaded.add(stats.poll(Duration.ofSeconds(15)).orElseThrow());
            }
            loading.set(false);
        }
        System.out.println("gVisor under load: " + ok + " requests, samples " + loaded);
        assertThat(ok.get()).isGreaterThan(50);
        assertThat(loaded).allSatisfy(s -> {
            assertThat(s.environmentMemoryBytes()).as("the sandbox's cgroup, runsc's sandbox and gofer included").isGreaterThan(20L << 20);
            assertThat(s.hostMemoryBytes()).isGreaterThanOrEqualTo(s.environmentMemoryBytes());
            assertThat(s.appMemoryBytes()).as("the app's figure: the sandbox's cgroup").isGreaterThan(20L << 20);
        });
        assertThat(loaded.stream().mapToDouble(ResourceSample::cpuPercent).max().orElseThrow()).as("CPU under load").isGreaterThan(10);
    }

    @Test
    void theHostNetworkVariantAnswersOnItsOwnLoopbackPort() {
        try (DockerEnvironment host = new DockerEnvironment(DockerSettings.gvisorDefaults().withHostPort(HOST_NETWORK_PORT)
                .withContainerName("gallerybench-test-gvisor-host").withNetwork(DockerSettings.NetworkPath.HOST))) {
            host.connect();
            host.removeContainer();
            try {
                assertThat(host.displayName()).isEqualTo("gVisor sandbox · host network");
                host.deploy(TestServer.artifact());
                host.start();
                assertThat(host.endpoint().toString()).isEqualTo("http://127.0.0.1:" + HOST_NETWORK_PORT + "/");
                assertThat(TestHttp.get(host.endpoint(), "/").statusCode()).isEqualTo(200);
                var inspect = host.connect().client().inspectContainerCmd(host.containerId().orElseThrow()).exec();
                assertThat(inspect.getHostConfig().getNetworkMode()).isEqualTo("host");
                var bindings = inspect.getHostConfig().getPortBindings();
                assertThat(bindings == null || bindings.getBindings().isEmpty()).as("no published port").isTrue();
            } finally {
                host.removeContainer();
                host.removeVolume();
            }
        }
    }

    @Test
    void anEngineWithoutTheRuntimeGivesAClearError() {
        try (DockerEnvironment missing = new DockerEnvironment(DockerSettings.gvisorDefaults().withHostPort(5096)
                .withContainerName("gallerybench-test-noruntime").withRuntime("gallerybench-no-such-runtime"))) {
            missing.connect();
            assertThat(missing.status()).isInstanceOfSatisfying(EnvironmentStatus.Failed.class,
                    f -> assertThat(f.message()).contains("no runtime named 'gallerybench-no-such-runtime'").contains("runc"));
            missing.deploy(TestServer.artifact());
            assertThatThrownBy(missing::start).isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("no runtime named 'gallerybench-no-such-runtime'");
            missing.removeContainer();
            missing.removeVolume();
        }
        // And the advice for gVisor itself names the way to register it.
        assertThat(DockerEnvironment.runtimeMissing("runsc", List.of("runc"))).contains("scripts/setup-machine").contains("daemon.json")
                .contains("SIGHUP");
    }
}
