package org.gallerybench.environments.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;

/**
 * The Docker daemon's userland-proxy setting, which decides a published port's path: on (Docker's default), every
 * connection is relayed by a docker-proxy process; off, iptables NAT rewrites the packets in the kernel. Read from
 * /etc/docker/daemon.json and dockerd's command line; cached for a minute, as it only changes with a daemon restart.
 */
public final class UserlandProxy {
    private static volatile String cached;
    private static volatile long readAt;

    private UserlandProxy() {
    }

    /** "on", "on (Docker's default; dockerd not seen here)", "off (daemon.json)" or "off (dockerd --userland-proxy=false)". */
    public static String read() {
        long now = System.nanoTime();
        String c = cached;
        if (c != null && now - readAt < TimeUnit.MINUTES.toNanos(1)) {
            return c;
        }
        c = readNow(Path.of("/etc/docker/daemon.json"), dockerdCommandLine());
        cached = c;
        readAt = now;
        return c;
    }

    static String readNow(Path daemonJson, String dockerdCommand) {
        try {
            if (Files.isReadable(daemonJson) && Files.readString(daemonJson).replaceAll("\\s", "").contains("\"userland-proxy\":false")) {
                return "off (daemon.json)";
            }
        } catch (IOException ignored) {
            // unreadable: look at the process
        }
        if (dockerdCommand != null && dockerdCommand.contains("--userland-proxy=false")) {
            return "off (dockerd --userland-proxy=false)";
        }
        return dockerdCommand == null || dockerdCommand.isBlank() ? "on (Docker's default; dockerd not seen here)" : "on";
    }

    /** dockerd's command line from /proc, or null when no dockerd runs on this machine (a remote DOCKER_HOST). */
    private static String dockerdCommandLine() {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ').strip();
                    String first = cmd.isEmpty() ? "" : cmd.split(" ", 2)[0];
                    if (first.equals("dockerd") || first.endsWith("/dockerd")) {
                        return cmd;
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }
        } catch (IOException ignored) {
            // no /proc
        }
        return null;
    }
}
