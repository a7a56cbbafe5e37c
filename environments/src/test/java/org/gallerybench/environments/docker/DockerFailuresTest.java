package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures a user can meet with a real engine, each with a message that names the cause and the fix. */
class DockerFailuresTest {
    DockerEnvironment docker;

    @AfterEach
    void cleanUp() {
        if (docker != null) {
            docker.removeContainer();
            docker.removeVolume();
            docker.close();
        }
    }

    @Test
    void aFailedImageBuildShowsTheLastLinesOfTheBuildLog() {
        docker = new DockerEnvironment(DockerSettings.defaults().withContainerName("gallerybench-test-failures")
                .withImage("gallerybench/gallery-broken-test", Optional.of("gallerybench/no-such-base-image:none")));
        assertThatThrownBy(() -> docker.deploy(TestServer.artifact()))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("The image build failed")
                .hasMessageContaining("Last lines of the build log")
                .hasMessageContaining("gallerybench/no-such-base-image");
    }

    @Test
    void aBusyHostPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            docker = new DockerEnvironment(DockerSettings.defaults().withContainerName("gallerybench-test-failures").withHostPort(taken.getLocalPort()));
            docker.deploy(TestServer.artifact());
            assertThatThrownBy(docker::start)
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessage("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use: stop whatever uses it,"
                            + " or choose another port for the Docker environment.");
        }
    }

    @Test
    void aContainerThatExitsShowsItsExitCodeAndLastLogLines() {
        // 8 MiB is far below what the JVM needs (-Xms16m): the container dies at once.
        docker = new DockerEnvironment(DockerSettings.defaults().withContainerName("gallerybench-test-failures").withHostPort(5093).withLimits(1, 8L << 20));
        docker.deploy(TestServer.artifact());
        assertThatThrownBy(docker::start)
                .isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("The container exited with code")
                .hasMessageContaining("Last log lines");
        // The kernel's OOM killer ends it; Docker usually flags that (OOMKilled), but not always on this cgroup v1 engine
        // (seen in a CI run: exit 137 without the flag), and then the honest words are "killed".
        assertThat(docker.status().label()).matches("failed|stopped \\(exit 137: (out of memory|killed)\\)");
    }
}
