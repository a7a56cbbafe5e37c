package org.gallerybench.environments.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;

/**
 * How to reach and drive the VM.
 *
 * @param vagrantDir     the folder with the Vagrantfile (environments/vagrant), when Vagrant manages the VM
 * @param ssh            explicit SSH details, for any SSH-reachable VM; if empty, they come from vagrant ssh-config
 * @param endpointHost   where the gallery answers on this host (the forwarded port)
 * @param endpointPort   5001 by default, as in the old study
 * @param knownHosts     the known_hosts file this project manages
 * @param runtimeDir     the Java 25 runtime to install in the guest (the container's jlink'd one); empty: the guest's own
 * @param hypervisorName a string in the hypervisor's command line that identifies this VM, to read its cost on the
 *                       host (libvirt: the domain name; VirtualBox: the VM name); empty to skip
 * @param bootDeadline   vagrant up to first 200 (emulation is slow: minutes)
 * @param startDeadline  systemctl start/restart to first 200
 * @param deployDeadline deploy, including AOT training in the guest
 * @param vagrantEnv     extra environment for the vagrant command
 */
public record VmSettings(Optional<Path> vagrantDir, Optional<SshTarget> ssh, String endpointHost, int endpointPort, Path knownHosts,
                         Optional<Path> runtimeDir, Optional<String> hypervisorName, Duration bootDeadline, Duration startDeadline,
                         Duration deployDeadline, Map<String, String> vagrantEnv) {
    public static final int DEFAULT_PORT = 5001;
    /** The Vagrant machine of environments/vagrant unless GALLERYBENCH_VM_NAME names another. */
    public static final String DEFAULT_MACHINE = "default";

    public VmSettings {
        vagrantEnv = Map.copyOf(vagrantEnv);
        if (vagrantDir.isEmpty() && ssh.isEmpty()) {
            throw new IllegalArgumentException("the VM needs a Vagrant folder or SSH details");
        }
    }

    public static VmSettings vagrant(Path vagrantDir, Path dataHome, Optional<Path> runtimeDir) {
        return new VmSettings(Optional.of(vagrantDir), Optional.empty(), "127.0.0.1", DEFAULT_PORT, dataHome.resolve("known_hosts"),
                runtimeDir, Optional.of(libvirtDomain(DEFAULT_MACHINE)), Duration.ofMinutes(10), Duration.ofMinutes(3), Duration.ofMinutes(20), Map.of());
    }

    public static VmSettings ssh(SshTarget target, String endpointHost, int endpointPort, Path dataHome, Optional<Path> runtimeDir) {
        return new VmSettings(Optional.empty(), Optional.of(target), endpointHost, endpointPort, dataHome.resolve("known_hosts"),
                runtimeDir, Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(3), Duration.ofMinutes(20), Map.of());
    }

    /** The libvirt domain of a machine of environments/vagrant: its default_prefix, gallerybench_, and the name. */
    public static String libvirtDomain(String machine) {
        return "gallerybench_" + machine;
    }

    /**
     * Another machine of environments/vagrant, with its own name and forwarded port, e.g. the tests' ("test", 5091),
     * which never touch the user's VM ("default", 5001).
     */
    public VmSettings withMachine(String machine, int port) {
        if (!machine.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a Vagrant machine's name is letters, digits, - or _: " + machine);
        }
        Map<String, String> env = new HashMap<>(vagrantEnv);
        env.put("GALLERYBENCH_VM_NAME", machine);
        env.put("GALLERYBENCH_VM_PORT", Integer.toString(port));
        return new VmSettings(vagrantDir, ssh, endpointHost, port, knownHosts, runtimeDir, Optional.of(libvirtDomain(machine)), bootDeadline,
                startDeadline, deployDeadline, env);
    }

    public VmSettings withKnownHosts(Path file) {
        return new VmSettings(vagrantDir, ssh, endpointHost, endpointPort, file, runtimeDir, hypervisorName, bootDeadline, startDeadline,
                deployDeadline, vagrantEnv);
    }

    public VmSettings withEndpointPort(int port) {
        return new VmSettings(vagrantDir, ssh, endpointHost, port, knownHosts, runtimeDir, hypervisorName, bootDeadline, startDeadline,
                deployDeadline, vagrantEnv);
    }
}
