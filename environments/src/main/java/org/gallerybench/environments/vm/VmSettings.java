package org.gallerybench.environments.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
    /** The libvirt domain of environments/vagrant (default_prefix gallerybench_ + machine default). */
    public static final String LIBVIRT_DOMAIN = "gallerybench_default";

    public VmSettings {
        vagrantEnv = Map.copyOf(vagrantEnv);
        if (vagrantDir.isEmpty() && ssh.isEmpty()) {
            throw new IllegalArgumentException("the VM needs a Vagrant folder or SSH details");
        }
    }

    public static VmSettings vagrant(Path vagrantDir, Path dataHome, Optional<Path> runtimeDir) {
        return new VmSettings(Optional.of(vagrantDir), Optional.empty(), "127.0.0.1", DEFAULT_PORT, dataHome.resolve("known_hosts"),
                runtimeDir, Optional.of(LIBVIRT_DOMAIN), Duration.ofMinutes(10), Duration.ofMinutes(3), Duration.ofMinutes(20), Map.of());
    }

    public static VmSettings ssh(SshTarget target, String endpointHost, int endpointPort, Path dataHome, Optional<Path> runtimeDir) {
        return new VmSettings(Optional.empty(), Optional.of(target), endpointHost, endpointPort, dataHome.resolve("known_hosts"),
                runtimeDir, Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(3), Duration.ofMinutes(20), Map.of());
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
