package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.IOException;
import java.time.Duration;

import org.gallerybench.environments.EnvironmentException;

/**
 * A docker-java client on the httpclient5 transport, with the API version negotiated as the docker CLI does:
 * docker-java does not, and engines differ (Debian's 20.10 speaks at most 1.41; Docker 29 refuses anything below
 * 1.44). The first request, {@code GET /version}, is unversioned; the client then speaks the highest version both
 * sides know.
 */
public final class DockerConnection implements AutoCloseable {
    /** The newest API version this docker-java release knows. */
    static final RemoteApiVersion CLIENT_MAX = RemoteApiVersion.VERSION_1_44;

    private final String host;
    private final DockerHttpClient http;
    private final DockerClient client;
    private final Version engine;
    private final RemoteApiVersion apiVersion;

    private DockerConnection(String host, DockerHttpClient http, DockerClient client, Version engine, RemoteApiVersion apiVersion) {
        this.host = host;
        this.http = http;
        this.client = client;
        this.engine = engine;
        this.apiVersion = apiVersion;
    }

    /** Connects and negotiates; throws an {@link EnvironmentException} that says how to fix an unreachable engine. */
    public static DockerConnection open(String host) {
        DefaultDockerClientConfig unversioned;
        try {
            unversioned = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        } catch (RuntimeException e) {
            throw new EnvironmentException("Invalid Docker host '" + host + "': use unix:///path/to/docker.sock or tcp://host:port.", e);
        }
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(unversioned.getDockerHost())
                .sslConfig(unversioned.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        try {
            Version version = DockerClientImpl.getInstance(unversioned, http).versionCmd().exec();
            RemoteApiVersion chosen = negotiate(version.getApiVersion(), version.getMinAPIVersion());
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host).withApiVersion(chosen).build();
            return new DockerConnection(host, http, DockerClientImpl.getInstance(config, http), version, chosen);
        } catch (RuntimeException e) {
            closeQuietly(http);
            throw DockerErrors.explain(e, host);
        }
    }

    /**
     * The version to speak: the engine's newest, capped at the client's newest; refused if the engine's oldest is
     * newer than anything the client knows.
     */
    static RemoteApiVersion negotiate(String engineMax, String engineMin) {
        RemoteApiVersion max = engineMax == null ? CLIENT_MAX : RemoteApiVersion.parseConfig(engineMax);
        RemoteApiVersion chosen = max.isGreater(CLIENT_MAX) ? CLIENT_MAX : max;
        if (engineMin != null && RemoteApiVersion.parseConfig(engineMin).isGreater(chosen)) {
            throw new EnvironmentException("The Docker engine needs API " + engineMin + " or newer, but this client speaks at most "
                    + CLIENT_MAX.getVersion() + ". Update Gallery Bench, or use an older engine.");
        }
        return chosen;
    }

    public DockerClient client() {
        return client;
    }

    public String host() {
        return host;
    }

    /** The engine's version, e.g. "20.10.24+dfsg1". */
    public String engineVersion() {
        return engine.getVersion();
    }

    /** The API version in use, e.g. "1.41". */
    public String apiVersion() {
        return apiVersion.getVersion();
    }

    /** True when the engine answers a ping. */
    public boolean ping() {
        try {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closeQuietly(http);
    }

    private static void closeQuietly(DockerHttpClient http) {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
