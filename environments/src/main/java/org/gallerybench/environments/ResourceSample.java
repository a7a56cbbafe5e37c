package org.gallerybench.environments;

import java.time.Instant;

/**
 * One reading of CPU and memory, in one shape for every environment.
 *
 * <p>The two memory figures measure different things, on purpose, and must never be compared across kinds:
 * <dl>
 * <dt>{@code appMemoryBytes}: the server's own memory</dt>
 * <dd>The resident set (RSS) of the gallery's JVM process, in every environment: from {@code /proc/PID/status}
 * (VmRSS) for the local process, from {@code docker top} for the container, from {@code top}'s RES column in the
 * VM. This is the like-for-like figure for the app.</dd>
 * <dt>{@code environmentMemoryBytes}: the whole environment's footprint</dt>
 * <dd><b>local</b>: the same RSS; a host process has no environment of its own.
 * <b>docker</b>: the container's cgroup memory as {@code docker stats} shows it: usage minus inactive file cache
 * ({@code total_inactive_file} on cgroup v1, {@code inactive_file} on v2); it includes every process in the
 * container and their kernel memory, not just the JVM.
 * <b>vm</b>: the guest's used memory as {@code top} reports it (total minus free minus buffers/cache): the guest
 * kernel, systemd, sshd and the JVM together.</dd>
 * <dt>{@code hostCpuPercent}, {@code hostMemoryBytes}: what the environment costs the host</dt>
 * <dd>Where it can be seen from the host: for the VM the hypervisor process (qemu-system or VBoxHeadless) with
 * its CPU and RSS, which is what the VM really takes from the machine; for the container the cgroup figures;
 * for the local process its own. {@code NaN} and {@code -1} when unknown.</dd>
 * </dl>
 * CPU is in percent of one core, as {@code docker stats} counts it: 200 means two cores fully busy.
 *
 * @param time                   when it was read
 * @param cpuPercent             the server's CPU use (container: the whole container's)
 * @param appMemoryBytes         the server process's RSS, or -1 if it could not be read this time
 * @param environmentMemoryBytes the environment's footprint, as defined above
 * @param hostCpuPercent         the environment's CPU cost on the host, or NaN
 * @param hostMemoryBytes        the environment's memory cost on the host, or -1
 * @param source                 where the figures came from, e.g. "/proc", "docker stats", "top"
 */
public record ResourceSample(Instant time, double cpuPercent, long appMemoryBytes, long environmentMemoryBytes,
                             double hostCpuPercent, long hostMemoryBytes, String source) {

    public ResourceSample {
        if (cpuPercent < 0 || Double.isNaN(cpuPercent)) {
            throw new IllegalArgumentException("cpuPercent must be a number >= 0, got " + cpuPercent);
        }
    }

    public boolean hasHostCost() {
        return !Double.isNaN(hostCpuPercent) && hostMemoryBytes >= 0;
    }
}
