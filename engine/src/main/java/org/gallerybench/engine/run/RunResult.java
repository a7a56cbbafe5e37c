package org.gallerybench.engine.run;

import org.gallerybench.engine.setup.EnvironmentKind;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Objects;
import org.gallerybench.environments.subject.Subjects;

/**
 * A whole comparison run, as records: what reports, the history and the UI are made from.
 *
 * @param id          unique, sortable: the start time and a short random suffix
 * @param label       the plan's label
 * @param status      completed, cancelled or failed
 * @param plan        what was asked
 * @param build       the SHA-256 of the server build that was measured
 * @param machine     where it ran
 * @param dataset     the gallery every environment served, or null when the stores were left as they were
 * @param environments one result per environment, in plan order
 * @param comparisons each non-baseline environment against the baseline, metric by metric
 * @param best        per metric, the environment better than every other with intervals (at 90 % or more) that exclude 1
 * @param warnings    things a reader must know (the generator was the bottleneck, a rate was not reached, ...)
 */
public record RunResult(String id, String label, Status status, Instant startedAt, Instant finishedAt, RunPlan plan, String build, Machine machine,
                        DatasetInfo dataset,
                        List<EnvironmentResult> environments, List<MetricComparison> comparisons, Map<String, String> best,
                        List<String> warnings) {

    public RunResult {
        best = best == null ? Map.of() : Map.copyOf(best);
    }

    public enum Status { COMPLETED, CANCELLED, FAILED }

    /**
     * The same run with its intervals made again from its samples (each environment's rounds and timed starts, which a
     * stored run keeps), as this version makes them: a run stored by an older version, whose intervals were of another
     * kind (a bootstrap that claimed 95 %), then reads with the level its samples really give. Nothing measured changes.
     */
    public RunResult restated() {
        List<EnvironmentResult> envs = environments.stream().map(e -> e.summary() == null ? e
                : new EnvironmentResult(e.environment(), e.displayName(), e.endpoint(), e.startupTrials(), e.resources(), e.load(), e.rounds(),
                        e.summary().withIntervals(Summaries.intervals(e.startupTrials(), e.rounds())), e.failure(), e.networkPath(), e.capacity(),
                        e.busySeconds())).toList();
        return new RunResult(id, label, status, startedAt, finishedAt, plan, build, machine, dataset, envs,
                plan == null ? comparisons : Comparisons.compute(plan.baseline(), envs), Comparisons.best(envs), warnings);
    }

    /** The app under test, by name ("gallery", "flask-gallery", ...): in every report's title and every chart's. */
    public String app() {
        return plan == null ? Subjects.DEFAULT : plan.subject();
    }

    /**
     * The machine the run was made on (see {@link Fingerprint}).
     *
     * @param virtualization what systemd-detect-virt says of the host itself ("none", "kvm", ...)
     * @param kvmUsable      whether a VM can use KVM; when false it runs on QEMU's TCG emulation, 20-50x slower
     * @param kvm            "usable", or why not
     */
    public record Machine(String host, int cores, long memoryBytes, String os, String javaVersion, String cpuModel, String kernel,
                          String virtualization, boolean kvmUsable, String kvm, String qemu, String libvirt, String vagrant, String docker,
                          String dockerStorageDriver, String cgroup, String userlandProxy) {

        /** What the JVM knows by itself; the rest "unknown". */
        public static Machine basic() {
            long memory = -1;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                memory = os.getTotalMemorySize();
            }
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            return new Machine(host, Runtime.getRuntime().availableProcessors(), memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vendor") + " " + System.getProperty("java.version"), "unknown", System.getProperty("os.version"),
                    "unknown", true, "unknown", "unknown", "unknown", "unknown", "unknown", "unknown", "unknown", "unknown");
        }

        /** The full fingerprint of this machine, now. */
        public static Machine current() {
            return Fingerprint.read();
        }

        /** The same machine for a comparison of runs: host, CPU, cores, memory, kernel, KVM and the JVM. */
        public boolean sameAs(Machine other) {
            return other != null && host.equals(other.host) && cores == other.cores && memoryBytes == other.memoryBytes
                    && Objects.equals(cpuModel, other.cpuModel) && Objects.equals(kernel, other.kernel)
                    && kvmUsable == other.kvmUsable && Objects.equals(javaVersion, other.javaVersion);
        }
    }

    /** Whether this environment's figures came from a VM under emulation (no usable KVM on the run's machine). */
    public boolean emulated(String environment) {
        return EnvironmentKind.has(environment, EnvironmentKind.Capability.MACHINE) && machine != null && !machine.kvmUsable();
    }

    public Optional<EnvironmentResult> environment(String id) {
        return environments.stream().filter(e -> e.environment().equals(id)).findFirst();
    }
}
