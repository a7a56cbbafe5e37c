package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.StartupPhases;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Startup means the same in the container as elsewhere. The published port goes through docker-proxy, which accepts
 * connections as soon as the container runs; "port open" is when the server's own listener first answers (503 while
 * it starts), so the phases are the server's, not the proxy's. Checked against a known, test-only start delay.
 */
class DockerStartupPhasesTest {

    @Test
    void coldStartAndRestartPhasesMatchAKnownStartDelay() {
        String name = "gallerybench-test-phases";
        try (DockerEnvironment docker = new DockerEnvironment(DockerSettings.defaults().withContainerName(name)
                .withHostPort(BenchSupport.freePort()).withServerEnv(Map.of("GALLERY_TEST_START_DELAY_MS", "600")))) {
            try {
                docker.deploy(TestServer.artifact());
                StartTiming cold = docker.coldStart();
                assertThat(cold.kind()).isEqualTo(StartTiming.COLD_START);
                assertThat(cold.marks()).extracting(StartTiming.Mark::name)
                        .containsExactly(StartTiming.ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
                StartupPhases.assertDelay(cold, 600, 30, 80);
                StartTiming restart = docker.restart();
                assertThat(restart.marks()).extracting(StartTiming.Mark::name).containsExactly(StartTiming.ISSUED, StartTiming.STOPPED,
                        StartTiming.START_ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
                StartupPhases.assertDelay(restart, 600, 30, 80);
            } finally {
                docker.removeContainer();
                docker.removeVolume();
            }
        }
    }
}
