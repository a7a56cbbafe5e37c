package org.gallerybench.environments.docker;

import org.gallerybench.environments.EnvironmentException;

/** Turns docker-java's exceptions into messages that name the cause and the fix. */
final class DockerErrors {
    private DockerErrors() {
    }

    static EnvironmentException explain(RuntimeException e, String host) {
        if (e instanceof EnvironmentException known) {
            return known;
        }
        String all = chain(e);
        String socket = host.startsWith("unix://") ? host.substring("unix://".length()) : host;
        if (all.contains("Permission denied") || all.contains("[13]")) {
            return new EnvironmentException("Permission denied on the Docker socket " + socket
                    + ": add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or run as root.", e);
        }
        if (all.contains("No such file") || all.contains("[2]") || all.contains("Connection refused") || all.contains("[111]")
                || all.contains("ConnectException") || all.contains("UnknownHost") || all.contains("connect timed out")
                || all.contains("Connect to") || all.contains("NoRouteToHost")) {
            return new EnvironmentException("Docker engine not reachable at " + host
                    + ": is dockerd running? Start it (sudo systemctl start docker, or dockerd &), or set DOCKER_HOST to use another engine.", e);
        }
        if (all.contains("port is already allocated") || all.contains("address already in use")) {
            return new EnvironmentException("The container's host port is already in use: stop whatever uses it, or choose another port"
                    + " for the Docker environment.", e);
        }
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return new EnvironmentException("Docker failed: " + first, e);
    }

    private static String chain(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" | ");
            if (t.getCause() == t) {
                break;
            }
        }
        return out.toString();
    }
}
