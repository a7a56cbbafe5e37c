package org.gallerybench.environments.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.StartupPhases;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local process's whole cycle, with the real server jar. */
class LocalEnvironmentTest {
    @TempDir
    Path data;

    @Test
    void deployStartUploadRestartSampleStop() throws Exception {
        try (LocalEnvironment local = new LocalEnvironment(settings())) {
            assertThat(local.status()).isInstanceOf(EnvironmentStatus.Absent.class);
            local.deploy(TestServer.artifact());
            assertThat(local.aotCache()).as("an AOT cache was trained for this build").isPresent();
            assertThat(local.status()).isInstanceOf(EnvironmentStatus.Deployed.class);
            assertThat(local.status().label()).isEqualTo("ready to start");
            // Another object, as another process or a freshly opened dashboard is: it reads the jar and the cache that exist.
            try (LocalEnvironment fresh = new LocalEnvironment(local.settings())) {
                fresh.expect(TestServer.artifact());
                assertThat(fresh.status()).isInstanceOfSatisfying(EnvironmentStatus.Deployed.class, d -> assertThat(d.detail())
                        .isEqualTo("Jar and AOT cache of this build present (build " + TestServer.artifact().shortDigest() + "): Start runs it."));
                assertThat(fresh.status().actions(false)).containsExactly(EnvironmentStatus.Action.START);
            }

            StartTiming started = local.start();
            assertThat(started.marks()).extracting(StartTiming.Mark::name)
                    .containsExactly(StartTiming.ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
            assertThat(started.total()).isPositive();
            assertThat(local.status()).isInstanceOf(EnvironmentStatus.Ready.class);

            assertThat(TestHttp.upload(local.endpoint(), "kept.png", TestHttp.png(64, 64, 0x336699)).statusCode()).isEqualTo(201);
            long firstPid = local.pid().orElseThrow();

            StartTiming restarted = local.restart();
            assertThat(restarted.kind()).isEqualTo("restart");
            assertThat(local.pid().orElseThrow()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
            assertThat(TestHttp.get(local.endpoint(), "/images/kept.png").statusCode()).isEqualTo(200);
            assertThat(Files.exists(local.uploadDir().resolve("kept.png"))).isTrue();

            List<ResourceSample> samples = new ArrayList<>();
            try (SampleStream stream = local.openSampler(Duration.ofMillis(200))) {
                for (int i = 0; i < 3; i++) {
                    TestHttp.get(local.endpoint(), "/");
                    samples.add(stream.poll(Duration.ofSeconds(5)).orElseThrow());
                }
            }
            assertThat(samples).allSatisfy(s -> {
                assertThat(s.appMemoryBytes()).isGreaterThan(10L << 20);
                assertThat(s.environmentMemoryBytes()).isEqualTo(s.appMemoryBytes());
                assertThat(s.source()).isEqualTo("/proc");
            });

            long pid = local.pid().orElseThrow();
            local.stop();
            assertThat(local.status()).isInstanceOf(EnvironmentStatus.Deployed.class);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            try (ServerSocket again = new ServerSocket(local.settings().port())) {
                assertThat(again.isBound()).isTrue();
            }
        }
    }

    /**
     * The phases mean what they say: against a server told to answer 503 for a known 600 ms after it starts listening
     * (a test-only setting), "port open → first HTTP 200" is 600 ms within 30 ms, in a cold start and in a restart
     * (StartupPhases: the best of up to three starts of each kind).
     */
    @Test
    void coldStartAndRestartPhasesMatchAKnownStartDelay() throws Exception {
        try (LocalEnvironment local = new LocalEnvironment(settings().withServerEnv(java.util.Map.of("GALLERY_TEST_START_DELAY_MS", "600")))) {
            local.deploy(TestServer.artifact());
            local.start();
            StartupPhases.assertColdStartAndRestart(local, 600);
            local.stop();
        }
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0); LocalEnvironment local = new LocalEnvironment(settings().withPort(taken.getLocalPort()))) {
            local.deploy(TestServer.artifact());
            // Not a gallery, so it does not answer: the status still says the port is taken, and offers no Start into it.
            assertThat(local.status()).isInstanceOfSatisfying(EnvironmentStatus.Occupied.class, o -> assertThat(o.detail())
                    .isEqualTo("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another program: stop it, or choose another"
                            + " port for the local environment."));
            assertThatThrownBy(local::start).isInstanceOf(EnvironmentException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort()).hasMessageContaining("already in use");
        }
    }

    @Test
    void startingBeforeDeployingSaysWhatToDo() throws Exception {
        try (LocalEnvironment local = new LocalEnvironment(settings())) {
            assertThatThrownBy(local::start).hasMessageContaining("not deployed yet");
        }
    }

    /** The owner is killed with SIGKILL (no shutdown hook runs): the server notices and exits on its own. */
    @Test
    void noServerOutlivesTheJvmThatStartedIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int port = freePort();
        Process owner = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalOwnerMain.class.getName(), data.toString(), Integer.toString(port), TestServer.artifact().jar().toString())
                .redirectErrorStream(true).start();
        long serverPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream()))) {
            String line;
            serverPid = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("server-pid=")) {
                    serverPid = Long.parseLong(line.substring("server-pid=".length()));
                    break;
                }
            }
        }
        assertThat(serverPid).as("the owner started a server").isPositive();
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
        assertThat(server.isAlive()).isTrue();
        // Seen from here, that server is another process's: said so, with its build, and not taken for this one's to stop.
        try (LocalEnvironment here = new LocalEnvironment(settings().withPort(port))) {
            here.expect(TestServer.artifact());
            EnvironmentStatus seen = here.status();
            assertThat(seen).isInstanceOf(EnvironmentStatus.Occupied.class);
            assertThat(seen.label()).isEqualTo("port taken");
            assertThat(seen.actions(false)).as("nothing here can start or stop it").isEmpty();
            assertThat(seen.message()).startsWith("Another process serves at http://127.0.0.1:" + port + "/ (gallery build "
                    + TestServer.artifact().shortDigest() + "): stop it where it runs");
        }

        owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(server.onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).get()).as("the server exited").isNotNull();
        assertThat(server.isAlive()).isFalse();
    }

    private LocalSettings settings() throws Exception {
        return LocalSettings.defaults(data).withPort(freePort()).withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot"));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
