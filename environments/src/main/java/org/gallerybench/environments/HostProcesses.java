package org.gallerybench.environments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Processes on this machine that an environment costs besides its own, found by their command lines in /proc
 * (Docker's docker-proxy for a published port, containerd's shim for a container), and their CPU and RSS between
 * two readings. A host cost leaves none of them out.
 */
public final class HostProcesses {
    private final Supplier<List<Long>> pids;
    private Map<Long, Long> cpuBefore = new HashMap<>();
    private long wallBefore = System.nanoTime();

    /** The processes whose command line matches, found again at every reading. */
    public HostProcesses(Predicate<List<String>> matches) {
        this(() -> pids(matches));
    }

    private HostProcesses(Supplier<List<Long>> pids) {
        this.pids = pids;
        read();
    }

    /** A process and every process under it, found again at each reading (gunicorn's master and its workers). */
    public static HostProcesses ofTree(long pid) {
        return new HostProcesses(() -> ProcessHandle.of(pid).map(root -> Stream.concat(Stream.of(root),
                root.descendants()).map(ProcessHandle::pid).toList()).orElse(List.of()));
    }

    /** One known process (the VM's hypervisor). */
    public static HostProcesses ofPid(long pid) {
        return new HostProcesses(() -> List.of(pid));
    }

    /** What the matching processes used since the last reading: CPU percent (100 = one core) and RSS now. */
    public record Reading(int processes, double cpuPercent, long rssBytes) {
    }

    public synchronized Reading read() {
        long wall = System.nanoTime();
        Map<Long, Long> now = new HashMap<>();
        long rss = 0;
        double cpu = 0;
        for (long pid : pids.get()) {
            OptionalLong t = ProcFs.cpuTimeNanos(pid);
            OptionalLong r = ProcFs.rssBytes(pid);
            if (t.isEmpty() || r.isEmpty()) {
                continue;
            }
            now.put(pid, t.getAsLong());
            rss += r.getAsLong();
            Long before = cpuBefore.get(pid);
            if (before != null) {
                cpu += ProcFs.cpuPercent(before, t.getAsLong(), wall - wallBefore);
            }
        }
        cpuBefore = now;
        wallBefore = wall;
        return new Reading(now.size(), cpu, rss);
    }

    /** The pids whose command line (argv) matches. */
    public static List<Long> pids(Predicate<List<String>> matches) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
                    if (raw.length == 0) {
                        continue;
                    }
                    List<String> argv = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
                    if (matches.test(argv)) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile, or is not ours to read
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** docker-proxy processes of one published host port: {@code docker-proxy ... -host-port PORT ...}. */
    public static Predicate<List<String>> dockerProxy(int hostPort) {
        return argv -> !argv.isEmpty() && argv.getFirst().endsWith("docker-proxy") && argValue(argv, "-host-port").equals(Integer.toString(hostPort));
    }

    /** containerd's shim of one container: {@code containerd-shim-runc-v2 -namespace moby -id ID ...}. */
    public static Predicate<List<String>> containerdShim(String containerId) {
        return argv -> !argv.isEmpty() && argv.getFirst().contains("containerd-shim") && argValue(argv, "-id").equals(containerId);
    }

    private static String argValue(List<String> argv, String flag) {
        int i = argv.indexOf(flag);
        return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : "";
    }
}
