package org.gallerybench.environments.docker;

import java.util.Map;

import org.gallerybench.benchmarks.BenchSupport;
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
                StartupPhases.assertColdStartAndRestart(docker, 600);
            } finally {
                docker.removeContainer();
                docker.removeVolume();
            }
        }
    }
}
