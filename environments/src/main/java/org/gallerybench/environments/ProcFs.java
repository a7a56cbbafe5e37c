package org.gallerybench.environments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Optional;

/** Readings of a Linux process from /proc: CPU time and resident memory. */
public final class ProcFs {
    /** Clock ticks per second of /proc/PID/stat times (USER_HZ); 100 on every mainstream Linux. */
    public static final long TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** User plus system CPU time of the process, in nanoseconds, if it exists. */
    public static OptionalLong cpuTimeNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: split after its end.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return OptionalLong.of((utime + stime) * 1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Resident set size (VmRSS) in bytes, if the process exists. */
    public static OptionalLong rssBytes(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Resident memory split as /proc/PID/smaps_rollup counts it: anonymous (heap, stacks, malloc) and file-backed. */
    public record Resident(long rssBytes, long anonymousBytes) {
        public long fileBytes() {
            return rssBytes - anonymousBytes;
        }
    }

    /** The process's resident memory from /proc/PID/smaps_rollup, if it exists. */
    public static Optional<Resident> resident(long pid) {
        try {
            long rss = -1;
            long anon = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Rss:")) {
                    rss = kiloBytes(line, "Rss:");
                } else if (line.startsWith("Anonymous:")) {
                    anon = kiloBytes(line, "Anonymous:");
                }
            }
            return rss < 0 || anon < 0 ? Optional.empty() : Optional.of(new Resident(rss, anon));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long kiloBytes(String line, String field) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
    }

    /** A "kB" field of /proc/PID/status, in bytes. */
    static OptionalLong statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Turns two CPU-time readings into percent of one core, as docker stats counts. */
    public static double cpuPercent(long cpuNanosBefore, long cpuNanosAfter, long wallNanos) {
        if (wallNanos <= 0) {
            return 0;
        }
        return Math.max(0, (cpuNanosAfter - cpuNanosBefore) * 100.0 / wallNanos);
    }
}
