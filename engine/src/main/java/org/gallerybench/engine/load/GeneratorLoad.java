package org.gallerybench.engine.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The check on the generator's own load: this process's CPU and its busiest I/O thread over a window. A generator
 * that saturates its own CPU measures itself, not the server, and the result says so.
 */
final class GeneratorLoad {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int ioThreads;
    private final long cpuBefore;
    private final long wallBefore;
    private final Map<Long, Long> ioBefore;

    private GeneratorLoad(int ioThreads) {
        this.ioThreads = ioThreads;
        this.cpuBefore = processCpuNanos();
        this.wallBefore = System.nanoTime();
        this.ioBefore = ioThreadCpu();
    }

    static GeneratorLoad start(int ioThreads) {
        return new GeneratorLoad(ioThreads);
    }

    /** CPU over the window: nanoseconds, and percent of one core. */
    record Reading(long cpuNanos, double cpuPercent, double busiestIoThreadPercent) {
    }

    Reading read() {
        long wall = Math.max(1, System.nanoTime() - wallBefore);
        long cpu = processCpuNanos() - cpuBefore;
        double busiest = 0;
        for (Map.Entry<Long, Long> e : ioThreadCpu().entrySet()) {
            busiest = Math.max(busiest, (e.getValue() - ioBefore.getOrDefault(e.getKey(), 0L)) * 100.0 / wall);
        }
        return new Reading(cpu, cpu * 100.0 / wall, busiest);
    }

    /** Warnings a reader must see next to the figures. */
    List<String> warnings(Reading r, LoadProfile profile, LoadResult partial) {
        List<String> out = new ArrayList<>();
        if (r.busiestIoThreadPercent() >= 90 || r.cpuPercent() >= 90.0 * ioThreads) {
            out.add(String.format(Locale.ROOT, "The load generator was itself the bottleneck: its busiest I/O thread was"
                    + " %.0f%% busy and the process used %.0f%% CPU. The figures understate what the server can do; use fewer"
                    + " connections, or run the generator on another machine.", r.busiestIoThreadPercent(), r.cpuPercent()));
        }
        if (profile.mode() == LoadProfile.Mode.OPEN && partial.seconds() > 0
                && partial.successes() < 0.9 * profile.ratePerSecond() * partial.seconds()) {
            out.add(String.format(Locale.ROOT, "The target rate of %.0f/s was not reached (%.0f/s, %d sends missed): the server, or the"
                    + " generator, could not keep up; latencies include the backlog.", profile.ratePerSecond(),
                    partial.successes() / partial.seconds(), partial.missed()));
        }
        return out;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private Map<Long, Long> ioThreadCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().contains("dispatch")) {
                out.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return out;
    }
}
