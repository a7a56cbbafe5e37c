package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.gallerybench.benchmarks.BenchSupport;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;

/**
 * A Docker engine on another machine: DOCKER_HOST=tcp://HOST:PORT. Here the real engine is reached through a relay
 * on another loopback address (127.0.0.2), standing in for another host: the container's port is published there,
 * and its endpoint is on that address, not on 127.0.0.1.
 */
class DockerRemoteEngineTest {

    @Test
    void aRemoteEnginesContainerIsReachedOnTheEnginesHost() throws Exception {
        int port = BenchSupport.freePort();
        try (UnixSocketRelay relay = new UnixSocketRelay(Path.of("/var/run/docker.sock"), "127.0.0.2");
             DockerEnvironment docker = new DockerEnvironment(DockerSettings.defaults().withDockerHost("tcp://127.0.0.2:" + relay.port())
                     .withHostPort(port).withContainerName("gallerybench-test-remote"))) {
            try {
                assertThat(docker.endpoint()).isEqualTo(URI.create("http://127.0.0.2:" + port + "/"));
                docker.deploy(TestServer.artifact());
                docker.start();
                var bindings = docker.connect().client().inspectContainerCmd("gallerybench-test-remote").exec().getHostConfig()
                        .getPortBindings().getBindings().values().iterator().next();
                assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.2");
                try (HttpClient http = HttpClient.newHttpClient()) {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(docker.endpoint()).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.headers().firstValue("X-Gallery-Build")).hasValue(TestServer.artifact().digest());
                }
            } finally {
                docker.removeContainer();
                docker.removeVolume();
            }
        }
        assertThat(DockerSettings.defaults().withDockerHost("ssh://me@build-host.example").resolvedEndpointHost()).isEqualTo("build-host.example");
        assertThat(DockerSettings.defaults().withDockerHost("tcp://10.1.2.3:2375").publishAddress()).isEqualTo("0.0.0.0");
        assertThat(DockerSettings.defaults().withDockerHost("unix:///var/run/docker.sock").resolvedEndpointHost()).isEqualTo("127.0.0.1");
        assertThat(DockerSettings.defaults().withDockerHost("tcp://10.1.2.3:2375").withEndpointHost("gallery.lan").resolvedEndpointHost())
                .isEqualTo("gallery.lan");
    }
}
