package org.gallerybench.dashboard.bench;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A whole comparison run, as records: what reports, the history and the UI are made from.
 *
 * @param id          unique, sortable: the start time and a short random suffix
 * @param label       the plan's label
 * @param status      completed, cancelled or failed
 * @param plan        what was asked
 * @param machine     where it ran
 * @param environments one result per environment, in plan order
 * @param comparisons each non-baseline environment against the baseline, metric by metric
 * @param warnings    things a reader must know (the generator was the bottleneck, a rate was not reached, ...)
 */
public record RunResult(String id, String label, Status status, Instant startedAt, Instant finishedAt, RunPlan plan, Machine machine,
                        List<EnvironmentResult> environments, List<MetricComparison> comparisons, List<String> warnings) {

    public enum Status { COMPLETED, CANCELLED, FAILED }

    /** The machine the run was made on. */
    public record Machine(String host, int cores, long memoryBytes, String os, String javaVersion) {
        public static Machine current() {
            long memory = -1;
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                memory = os.getTotalMemorySize();
            }
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
            return new Machine(host, Runtime.getRuntime().availableProcessors(), memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        }
    }

    public Optional<EnvironmentResult> environment(String id) {
        return environments.stream().filter(e -> e.environment().equals(id)).findFirst();
    }
}
