package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.core.RemoteApiVersion;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gallerybench.environments.EnvironmentException;
import org.junit.jupiter.api.Test;

class DockerConnectionTest {

    @Test
    void talksToTheRealEngineOverItsUnixSocket() {
        try (DockerConnection docker = DockerConnection.open("unix:///var/run/docker.sock")) {
            assertThat(docker.ping()).isTrue();
            assertThat(docker.apiVersion()).matches("1\\.\\d+");
            assertThat(docker.engineVersion()).isNotBlank();
        }
    }

    @Test
    void talksToTheRealEngineOverTcp() throws IOException {
        try (UnixSocketRelay relay = new UnixSocketRelay(Path.of("/var/run/docker.sock"));
             DockerConnection docker = DockerConnection.open("tcp://127.0.0.1:" + relay.port())) {
            assertThat(docker.ping()).isTrue();
            assertThat(docker.client().listContainersCmd().withShowAll(true).exec()).isNotNull();
        }
    }

    @Test
    void dockerHostComesFromTheSettingsThenTheEnvironmentThenTheLocalSocket() {
        DockerSettings defaults = DockerSettings.defaults();
        assertThat(defaults.resolvedHost(Map.of())).isEqualTo("unix:///var/run/docker.sock");
        assertThat(defaults.resolvedHost(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"))).isEqualTo("tcp://10.0.0.5:2375");
        assertThat(defaults.withDockerHost("unix:///run/user/1000/docker.sock").resolvedHost(Map.of("DOCKER_HOST", "tcp://x:1")))
                .isEqualTo("unix:///run/user/1000/docker.sock");
    }

    @Test
    void anUnreachableEngineIsAClearError() throws IOException {
        assertThatThrownBy(() -> DockerConnection.open("unix:///tmp/gallerybench-no-such-docker.sock"))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("Docker engine not reachable at unix:///tmp/gallerybench-no-such-docker.sock: is dockerd running?"
                        + " Start it (sudo systemctl start docker, or dockerd &), or set DOCKER_HOST to use another engine.");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> DockerConnection.open("tcp://127.0.0.1:" + closed))
                .hasMessageStartingWith("Docker engine not reachable at tcp://127.0.0.1:" + closed);
    }

    @Test
    void permissionDeniedOnTheSocketSaysHowToGetAccess() {
        RuntimeException denied = new RuntimeException("java.io.IOException: com.sun.jna.LastErrorException: [13] Permission denied");
        assertThat(DockerErrors.explain(denied, "unix:///var/run/docker.sock").getMessage())
                .startsWith("Permission denied on the Docker socket /var/run/docker.sock")
                .contains("usermod -aG docker");
    }

    @Test
    void negotiatesTheApiVersionLikeTheDockerCli() {
        assertThat(DockerConnection.negotiate("1.41", "1.12")).isEqualTo(RemoteApiVersion.VERSION_1_41);
        assertThat(DockerConnection.negotiate("1.52", "1.44")).isEqualTo(RemoteApiVersion.VERSION_1_44);
        assertThatThrownBy(() -> DockerConnection.negotiate("1.60", "1.50")).hasMessageContaining("needs API 1.50 or newer");
    }

    /**
     * A fake engine: a Docker 29 engine cannot run here (the machine has Debian's 20.10), so this stands in for one
     * and behaves as it does: it refuses any request below API 1.44. The client must negotiate up to 1.44.
     */
    @Test
    void speaksApi144ToAnEngineThatRefusesOlderVersions_fakeDocker29Engine() throws IOException {
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        fake.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            String body;
            int status = 200;
            if (path.endsWith("/version")) {
                body = "{\"Version\":\"29.0.0\",\"ApiVersion\":\"1.52\",\"MinAPIVersion\":\"1.44\",\"Os\":\"linux\"}";
            } else if (path.startsWith("/v1.44/") || path.startsWith("/v1.5")) {
                body = path.endsWith("/_ping") ? "OK" : "[]";
            } else {
                status = 400;
                body = "{\"message\":\"client version is too old. Minimum supported API version is 1.44\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") || body.startsWith("[") ? "application/json" : "text/plain");
            exchange.getResponseHeaders().add("Api-Version", "1.52");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        fake.start();
        try (DockerConnection docker = DockerConnection.open("tcp://127.0.0.1:" + fake.getAddress().getPort())) {
            assertThat(docker.apiVersion()).isEqualTo("1.44");
            assertThat(docker.engineVersion()).isEqualTo("29.0.0");
            assertThat(docker.ping()).isTrue();
            assertThat(docker.client().listContainersCmd().exec()).isEmpty();
        } finally {
            fake.stop(0);
        }
        assertThat(paths.getFirst()).as("the first request is unversioned").isEqualTo("/version");
        assertThat(paths.subList(1, paths.size())).allSatisfy(p -> assertThat(p).startsWith("/v1.44/"));
    }

    @Test
    void settingsDefaultToThePortOfTheOldStudy() {
        assertThat(DockerSettings.defaults().hostPort()).isEqualTo(5000);
        assertThat(DockerSettings.defaults().baseImage()).isEqualTo(Optional.empty());
    }
}
