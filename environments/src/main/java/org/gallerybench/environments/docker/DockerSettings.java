package org.gallerybench.environments.docker;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * How the gallery runs in Docker.
 *
 * @param dockerHost       the engine: {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}; empty means
 *                         {@code DOCKER_HOST}, or the local socket
 * @param bindAddress      host address the port is published on
 * @param hostPort         host port (default 5000, as in the old study)
 * @param image            the repository the server image is tagged in (a tag per build)
 * @param baseImage        the Java 25 base; empty means {@code gallerybench/java25-base:local} if it exists, else
 *                         the Dockerfile's default ({@code eclipse-temurin:25-jre}, pulled from a registry)
 * @param cpus             CPU limit in cores, to match the VM; empty for none
 * @param memoryBytes      memory limit, to match the VM; empty for none
 * @param startDeadline    how long to wait for the first 200
 * @param containerName    the container's name; its uploads live in the volume {@code NAME-uploads}. Tests use names of
 *                         their own, so that they never touch a user's gallery
 * @param endpointHost     where the published port is reached; empty for automatic: the engine's host for a remote
 *                         engine (tcp:// or ssh://), else the bind address
 * @param serverEnv        more environment variables for the server (tests: GALLERY_TEST_START_DELAY_MS)
 * @param runtime          the OCI runtime: empty for the engine's default (runc), {@code runsc} for gVisor
 * @param network          how requests reach the server: a published port, or the host's network
 */
public record DockerSettings(Optional<String> dockerHost, String bindAddress, int hostPort, String image, Optional<String> baseImage,
                             OptionalDouble cpus, OptionalLong memoryBytes, Duration startDeadline, String containerName,
                             Optional<String> endpointHost, Map<String, String> serverEnv, Optional<String> runtime,
                             NetworkPath network) {

    /** The network path between the load generator and the server in the container. */
    public enum NetworkPath {
        /** {@code -p 127.0.0.1:PORT:8080}: through docker-proxy when the daemon's userland proxy is on, else iptables NAT. */
        PUBLISHED("published port"),
        /** {@code --network host}: the server listens on a loopback port of its own, no NAT, no proxy. */
        HOST("host network");

        private final String label;

        NetworkPath(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** "published" or "host", as the CLI and settings spell it. */
        public String key() {
            return this == PUBLISHED ? "published" : "host";
        }

        public static NetworkPath parse(String key) {
            return switch (key == null ? "" : key.strip().toLowerCase(Locale.ROOT)) {
                case "", "published", "port", "published-port" -> PUBLISHED;
                case "host", "host-network" -> HOST;
                default -> throw new IllegalArgumentException("unknown network path '" + key + "': choose published or host");
            };
        }
    }

    /** The gVisor runtime's name as registered with the engine. */
    public static final String GVISOR_RUNTIME = "runsc";
    public static final int DEFAULT_GVISOR_PORT = 5003;

    public DockerSettings {
        serverEnv = serverEnv == null ? Map.of() : Map.copyOf(serverEnv);
        runtime = runtime == null ? Optional.empty() : runtime.filter(r -> !r.isBlank());
        network = network == null ? NetworkPath.PUBLISHED : network;
    }

    /** True for the gVisor sandbox (the runsc runtime). */
    public boolean gvisor() {
        return runtime.filter(GVISOR_RUNTIME::equals).isPresent();
    }
    public static final int DEFAULT_PORT = 5000;
    public static final String MANAGED_LABEL = "org.gallerybench.managed";
    public static final String IMAGE = "gallerybench/gallery";
    public static final String LOCAL_BASE = "gallerybench/java25-base:local";
    public static final String CONTAINER = "gallerybench-gallery";
    public static final String VOLUME = "gallerybench-uploads";

    public static DockerSettings defaults() {
        return new DockerSettings(Optional.empty(), "127.0.0.1", DEFAULT_PORT, IMAGE, Optional.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), Duration.ofSeconds(120), CONTAINER, Optional.empty(), Map.of(), Optional.empty(),
                NetworkPath.PUBLISHED);
    }

    /** The gVisor sandbox's defaults: the same image under runsc, with a container, volume and port of its own. */
    public static DockerSettings gvisorDefaults() {
        return defaults().withRuntime(GVISOR_RUNTIME).withHostPort(DEFAULT_GVISOR_PORT).withContainerName("gallerybench-gvisor");
    }

    public DockerSettings withRuntime(String name) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName,
                endpointHost, serverEnv, Optional.ofNullable(name), network);
    }

    public DockerSettings withNetwork(NetworkPath path) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName,
                endpointHost, serverEnv, runtime, path);
    }

    /** The engine address: the explicit one, else DOCKER_HOST, else the local socket. */
    public String resolvedHost() {
        return resolvedHost(System.getenv());
    }

    String resolvedHost(Map<String, String> env) {
        return dockerHost.filter(h -> !h.isBlank())
                .or(() -> Optional.ofNullable(env.get("DOCKER_HOST")).filter(h -> !h.isBlank()))
                .orElse("unix:///var/run/docker.sock");
    }

    public DockerSettings withDockerHost(String host) {
        return new DockerSettings(Optional.ofNullable(host), bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName, endpointHost, serverEnv, runtime, network);
    }

    public DockerSettings withHostPort(int port) {
        return new DockerSettings(dockerHost, bindAddress, port, image, baseImage, cpus, memoryBytes, startDeadline, containerName, endpointHost, serverEnv, runtime, network);
    }

    public DockerSettings withImage(String repository, Optional<String> base) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, repository, base, cpus, memoryBytes, startDeadline, containerName, endpointHost, serverEnv, runtime, network);
    }

    /** A container (and volume) of another name: what tests use, so that they never touch the user's gallery. */
    public DockerSettings withContainerName(String name) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, name, endpointHost, serverEnv, runtime, network);
    }

    public DockerSettings withServerEnv(Map<String, String> env) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName,
                endpointHost, env, runtime, network);
    }

    /** Reach the published port at {@code host} (blank: automatic). */
    public DockerSettings withEndpointHost(String host) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName,
                Optional.ofNullable(host).filter(h -> !h.isBlank()), serverEnv, runtime, network);
    }

    /** The engine's host for a remote engine (tcp://HOST:PORT, ssh://[USER@]HOST[:PORT]); empty for a local socket. */
    public Optional<String> engineHost() {
        URI uri = URI.create(resolvedHost());
        return switch (uri.getScheme() == null ? "" : uri.getScheme()) {
            case "tcp", "ssh", "http", "https" -> Optional.ofNullable(uri.getHost());
            default -> Optional.empty();
        };
    }

    /** Where the container's published port is reached: the override, else a remote engine's host, else the bind address. */
    public String resolvedEndpointHost() {
        return endpointHost.or(this::engineHost).orElse(bindAddress);
    }

    /**
     * The address the port is published on. On a remote engine a loopback bind address would be the remote machine's
     * own loopback: the port is published on the engine's address when that is a loopback one (a relay here), else on
     * every address of the remote machine.
     */
    public String publishAddress() {
        Optional<String> engine = engineHost();
        if (engine.isEmpty() || !bindAddress.equals("127.0.0.1")) {
            return bindAddress;
        }
        return engine.get().startsWith("127.") ? engine.get() : "0.0.0.0";
    }

    /** The volume that holds this container's uploads. */
    public String volumeName() {
        return containerName.equals(CONTAINER) ? VOLUME : containerName + "-uploads";
    }

    public DockerSettings withLimits(double cores, long bytes) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, OptionalDouble.of(cores), OptionalLong.of(bytes),
                startDeadline, containerName, endpointHost, serverEnv, runtime, network);
    }
}
