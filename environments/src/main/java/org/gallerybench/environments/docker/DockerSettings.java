package org.gallerybench.environments.docker;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

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
 */
public record DockerSettings(Optional<String> dockerHost, String bindAddress, int hostPort, String image, Optional<String> baseImage,
                             OptionalDouble cpus, OptionalLong memoryBytes, Duration startDeadline, String containerName) {
    public static final int DEFAULT_PORT = 5000;
    public static final String MANAGED_LABEL = "org.gallerybench.managed";
    public static final String IMAGE = "gallerybench/gallery";
    public static final String LOCAL_BASE = "gallerybench/java25-base:local";
    public static final String CONTAINER = "gallerybench-gallery";
    public static final String VOLUME = "gallerybench-uploads";

    public static DockerSettings defaults() {
        return new DockerSettings(Optional.empty(), "127.0.0.1", DEFAULT_PORT, IMAGE, Optional.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), Duration.ofSeconds(120), CONTAINER);
    }

    /** The engine address: the explicit one, else DOCKER_HOST, else the local socket. */
    public String resolvedHost() {
        return resolvedHost(System.getenv());
    }

    String resolvedHost(java.util.Map<String, String> env) {
        return dockerHost.filter(h -> !h.isBlank())
                .or(() -> Optional.ofNullable(env.get("DOCKER_HOST")).filter(h -> !h.isBlank()))
                .orElse("unix:///var/run/docker.sock");
    }

    public DockerSettings withDockerHost(String host) {
        return new DockerSettings(Optional.ofNullable(host), bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, containerName);
    }

    public DockerSettings withHostPort(int port) {
        return new DockerSettings(dockerHost, bindAddress, port, image, baseImage, cpus, memoryBytes, startDeadline, containerName);
    }

    public DockerSettings withImage(String repository, Optional<String> base) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, repository, base, cpus, memoryBytes, startDeadline, containerName);
    }

    /** A container (and volume) of another name: what tests use, so that they never touch the user's gallery. */
    public DockerSettings withContainerName(String name) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, cpus, memoryBytes, startDeadline, name);
    }

    /** The volume that holds this container's uploads. */
    public String volumeName() {
        return containerName.equals(CONTAINER) ? VOLUME : containerName + "-uploads";
    }

    public DockerSettings withLimits(double cores, long bytes) {
        return new DockerSettings(dockerHost, bindAddress, hostPort, image, baseImage, OptionalDouble.of(cores), OptionalLong.of(bytes),
                startDeadline, containerName);
    }
}
