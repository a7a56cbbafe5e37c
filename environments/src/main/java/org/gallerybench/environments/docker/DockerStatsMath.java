package org.gallerybench.environments.docker;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.api.model.Statistics;

/** CPU and memory from the stats API, computed exactly as the docker CLI computes them for {@code docker stats}. */
final class DockerStatsMath {
    private DockerStatsMath() {
    }

    /** True when the sample has a previous CPU reading; the stream's first sample does not, and must be dropped. */
    static boolean hasPrevious(Statistics s) {
        CpuStatsConfig pre = s.getPreCpuStats();
        return pre != null && pre.getSystemCpuUsage() != null && pre.getSystemCpuUsage() > 0
                && pre.getCpuUsage() != null && pre.getCpuUsage().getTotalUsage() != null;
    }

    /** CPU % = cpu delta / system delta x online CPUs x 100 (100 = one core). */
    static double cpuPercent(Statistics s) {
        CpuStatsConfig cpu = s.getCpuStats();
        CpuStatsConfig pre = s.getPreCpuStats();
        if (cpu == null || pre == null || cpu.getCpuUsage() == null || pre.getCpuUsage() == null) {
            return 0;
        }
        long cpuDelta = nz(cpu.getCpuUsage().getTotalUsage()) - nz(pre.getCpuUsage().getTotalUsage());
        long systemDelta = nz(cpu.getSystemCpuUsage()) - nz(pre.getSystemCpuUsage());
        long online = nz(cpu.getOnlineCpus());
        if (online == 0 && cpu.getCpuUsage().getPercpuUsage() != null) {
            online = cpu.getCpuUsage().getPercpuUsage().size();
        }
        if (systemDelta <= 0 || cpuDelta <= 0) {
            return 0;
        }
        return (double) cpuDelta / systemDelta * online * 100.0;
    }

    /** Memory = usage minus inactive file cache: total_inactive_file on cgroup v1, inactive_file on cgroup v2. */
    static long memoryBytes(Statistics s) {
        MemoryStatsConfig mem = s.getMemoryStats();
        if (mem == null || mem.getUsage() == null) {
            return 0;
        }
        long usage = mem.getUsage();
        StatsConfig stats = mem.getStats();
        if (stats != null) {
            Long v1 = stats.getTotalInactiveFile();
            if (v1 != null && v1 < usage) {
                return usage - v1;
            }
            Long v2 = stats.getInactiveFile();
            if (v2 != null && v2 < usage) {
                return usage - v2;
            }
        }
        return usage;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
