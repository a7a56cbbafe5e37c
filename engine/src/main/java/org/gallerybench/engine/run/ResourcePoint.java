package org.gallerybench.engine.run;

import org.gallerybench.environments.ResourceSample;

/**
 * One resource sample, placed in time relative to the start of the environment's load phase (negative during
 * warm-up). Memory figures keep their meaning from {@link ResourceSample}: app = the server's RSS, environment =
 * the container's cgroup memory or the guest's used memory, host = what the environment costs this machine.
 */
public record ResourcePoint(double seconds, double cpuPercent, long appMemoryBytes, long environmentMemoryBytes, double hostCpuPercent,
                            long hostMemoryBytes, String source) {

    public static ResourcePoint of(ResourceSample s, double seconds) {
        return new ResourcePoint(seconds, s.cpuPercent(), s.appMemoryBytes(), s.environmentMemoryBytes(), s.hostCpuPercent(),
                s.hostMemoryBytes(), s.source());
    }
}
