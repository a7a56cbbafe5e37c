package org.gallerybench.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.gallerybench.environments.Command;
import org.gallerybench.environments.docker.UserlandProxy;

/**
 * What the machine a run ran on was, read when the run starts: kernel, CPU, whether the host itself is virtualized,
 * whether KVM is usable (or a VM runs on QEMU's TCG emulation), and the versions of what runs the environments.
 * Every field is a plain string for people; "unknown" when it could not be read, "not installed" when the tool is
 * missing. Reading it never fails a run.
 */
public final class Fingerprint {
    /** The warning every VM figure carries when KVM is not usable. */
    public static final String EMULATION_WARNING = "emulated (no KVM): not the speed of a hardware-virtualized VM";

    /** The short form, for a chart's legend: "Vagrant VM (emulated, no KVM)". */
    public static final String EMULATED_TAG = "emulated, no KVM";

    private Fingerprint() {
    }

    /** Whether a VM on this machine can use KVM (a few file checks, cheap); if not, Vagrant's VM runs on QEMU's TCG. */
    public static boolean kvmUsable() {
        return kvm().equals("usable");
    }

    /** The machine this JVM runs on, now. Takes a second or two (it asks Docker, QEMU, libvirt and Vagrant). */
    public static RunResult.Machine read() {
        RunResult.Machine basic = RunResult.Machine.basic();
        String kvm = kvm();
        Map<String, String> docker = docker();
        return new RunResult.Machine(basic.host(), basic.cores(), basic.memoryBytes(), basic.os(), basic.javaVersion(),
                cpuModel(), System.getProperty("os.version"), firstLine(run("systemd-detect-virt"), "none"), kvm.equals("usable"), kvm,
                firstLine(run("qemu-system-x86_64", "--version"), "not installed"), firstLine(run("virsh", "--version"), "not installed"),
                firstLine(run("vagrant", "--version"), "not installed"), docker.get("version"), docker.get("storage"), docker.get("cgroup"),
                docker.get("proxy"));
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    /** "usable", or why not: no /dev/kvm, no access, or a PVM host whose /dev/kvm runs only special guests. */
    static String kvm() {
        Path dev = Path.of("/dev/kvm");
        if (!Files.exists(dev)) {
            return "not usable: no /dev/kvm (the VM runs on QEMU's TCG emulation)";
        }
        if (Files.exists(Path.of("/sys/module/kvm_pvm"))) {
            return "not usable: a PVM host (kvm_pvm), whose KVM runs only PVM guests (the VM runs on QEMU's TCG emulation)";
        }
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
            return "not usable: no access to /dev/kvm (the VM runs on QEMU's TCG emulation)";
        }
        return "usable";
    }

    /** Docker's version, storage driver, cgroup version and userland-proxy setting, from the CLI (honours DOCKER_HOST). */
    static Map<String, String> docker() {
        Map<String, String> out = new LinkedHashMap<>();
        String info = run("docker", "info", "--format", "{{.ServerVersion}}|{{.Driver}}|{{.CgroupVersion}}|{{.CgroupDriver}}");
        String[] parts = info == null ? new String[0] : info.strip().split("\\|");
        boolean ok = parts.length == 4 && !parts[0].isBlank();
        out.put("version", ok ? parts[0] : info == null ? "not installed" : "not reachable");
        out.put("storage", ok ? parts[1] : "unknown");
        out.put("cgroup", ok ? "v" + parts[2] + " (" + parts[3] + ")" : "unknown");
        out.put("proxy", ok ? UserlandProxy.read() : "unknown");
        return out;
    }

    /** The command's output, or null when it could not be run (not installed). Bounded to 10 s. */
    static String run(String... command) {
        try {
            Command.Result r = Command.of(command)
                    .deadline(Duration.ofSeconds(10)).run();
            return r.timedOut() ? "" : r.output();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String firstLine(String text, String orElse) {
        if (text == null) {
            return orElse;
        }
        String line = text.lines().findFirst().orElse("").strip();
        return line.isEmpty() ? "unknown" : line;
    }

    /** The fingerprint as labelled lines, for reports and the CLI. */
    public static List<Map.Entry<String, String>> lines(RunResult.Machine m) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("Host", m.host() + " · " + m.os() + " · kernel " + m.kernel()));
        out.add(Map.entry("CPU", m.cpuModel() + " · " + m.cores() + " cores · " + (m.memoryBytes() >> 20) + " MiB"));
        out.add(Map.entry("Host virtualization", m.virtualization()));
        out.add(Map.entry("KVM", m.kvm()));
        out.add(Map.entry("QEMU · libvirt · Vagrant", m.qemu() + " · " + m.libvirt() + " · " + m.vagrant()));
        out.add(Map.entry("Docker", m.docker() + " · storage " + m.dockerStorageDriver() + " · cgroup " + m.cgroup() + " · userland-proxy "
                + m.userlandProxy()));
        out.add(Map.entry("JVM", m.javaVersion()));
        return out;
    }
}
