package org.gallerybench.dashboard.bench;

import java.nio.file.Path;

/**
 * The connection settings of the three environments, as the dashboard's cards edit them and settings.json keeps
 * them.
 *
 * @param localPort      the local process's port (5002)
 * @param dockerHost     the Docker engine; empty for DOCKER_HOST or the local socket
 * @param dockerPort     the container's host port (5000)
 * @param matchLimits    give the container the VM's CPUs and memory, so the two compete on equal terms
 * @param vmCpus         the VM's CPUs, and the container's limit when matched (2)
 * @param vmMemoryMib    the VM's memory, and the container's limit when matched (1024)
 * @param vagrantDir     the Vagrant folder; empty for the project's environments/vagrant
 * @param sshHost        an SSH-reachable VM instead of Vagrant: host (empty to use Vagrant)
 * @param sshPort        its SSH port
 * @param sshUser        its user, with passwordless sudo
 * @param sshKey         its private key
 * @param vmPort         the port that reaches the VM's 8080 (5001)
 * @param dockerEndpointHost where the container's port is reached; empty: a remote engine's host, else 127.0.0.1
 * @param vmEndpointHost where the VM's port is reached; empty: the SSH host (127.0.0.1 for Vagrant's forward)
 * @param dockerNetwork  the container's network path: "published" (a published port) or "host" (the host's network)
 * @param gvisorPort     the gVisor sandbox's port (5003); it runs on the Docker engine above
 * @param gvisorNetwork  the sandbox's network path, as for the container
 */
public record EnvironmentSettings(int localPort, String dockerHost, int dockerPort, boolean matchLimits, int vmCpus, int vmMemoryMib,
                                  String vagrantDir, String sshHost, int sshPort, String sshUser, String sshKey, int vmPort,
                                  String dockerEndpointHost, String vmEndpointHost, String dockerNetwork, int gvisorPort,
                                  String gvisorNetwork) {

    public EnvironmentSettings {
        dockerNetwork = dockerNetwork == null || dockerNetwork.isBlank() ? "published" : dockerNetwork.strip();
        gvisorNetwork = gvisorNetwork == null || gvisorNetwork.isBlank() ? "published" : gvisorNetwork.strip();
        gvisorPort = gvisorPort <= 0 ? 5003 : gvisorPort; // settings saved before the sandbox existed
        dockerHost = dockerHost == null ? "" : dockerHost;
        dockerEndpointHost = dockerEndpointHost == null ? "" : dockerEndpointHost.strip();
        vmEndpointHost = vmEndpointHost == null ? "" : vmEndpointHost.strip();
    }

    public static EnvironmentSettings defaults() {
        return new EnvironmentSettings(5002, "", 5000, true, 2, 1024, "", "", 22, "", "", 5001, "", "", "published", 5003, "published");
    }

    public EnvironmentSettings withEndpointHosts(String docker, String vm) {
        return new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost, sshPort, sshUser,
                sshKey, vmPort, docker, vm, dockerNetwork, gvisorPort, gvisorNetwork);
    }

    /** One environment's part, as its card edits it. */
    public Connection connection(String id) {
        return switch (id) {
            case "local" -> new Connection.Local(localPort);
            case "docker" -> new Connection.Docker(dockerHost, dockerPort, matchLimits, dockerEndpointHost, dockerNetwork);
            case "gvisor" -> new Connection.Gvisor(gvisorPort, gvisorNetwork);
            case "vm" -> new Connection.Vm(vagrantDir, sshHost, sshPort, sshUser, sshKey, vmPort, vmEndpointHost);
            default -> throw new IllegalArgumentException("unknown environment '" + id + "'");
        };
    }

    /** These settings with one environment's part replaced; the others' stay as they are. */
    public EnvironmentSettings with(Connection c) {
        return switch (c) {
            case Connection.Local l -> withLocalPort(l.port());
            case Connection.Docker d -> new EnvironmentSettings(localPort, d.engine(), d.port(), d.matchLimits(), vmCpus, vmMemoryMib, vagrantDir,
                    sshHost, sshPort, sshUser, sshKey, vmPort, d.endpointHost(), vmEndpointHost, d.network(), gvisorPort, gvisorNetwork);
            case Connection.Gvisor g -> new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir,
                    sshHost, sshPort, sshUser, sshKey, vmPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, g.port(), g.network());
            case Connection.Vm v -> new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, v.vagrantDir(),
                    v.sshHost(), v.sshPort(), v.sshUser(), v.sshKey(), v.port(), dockerEndpointHost, v.endpointHost(), dockerNetwork, gvisorPort, gvisorNetwork);
        };
    }

    /** These settings with one environment's network path ("published" or "host"): docker or gvisor. */
    public EnvironmentSettings withNetwork(String environment, String path) {
        return switch (environment) {
            case "docker" -> new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost,
                    sshPort, sshUser, sshKey, vmPort, dockerEndpointHost, vmEndpointHost, path, gvisorPort, gvisorNetwork);
            case "gvisor" -> new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost,
                    sshPort, sshUser, sshKey, vmPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, gvisorPort, path);
            default -> throw new IllegalArgumentException("only docker and gvisor have a network path to choose, not '" + environment + "'");
        };
    }

    public boolean usesVagrant() {
        return sshHost == null || sshHost.isBlank();
    }

    public Path vagrantDirOr(Path fallback) {
        return vagrantDir == null || vagrantDir.isBlank() ? fallback : Path.of(vagrantDir);
    }

    public EnvironmentSettings withDockerHost(String host) {
        return new EnvironmentSettings(localPort, host, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost, sshPort, sshUser,
                sshKey, vmPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, gvisorPort, gvisorNetwork);
    }

    public EnvironmentSettings withLocalPort(int port) {
        return new EnvironmentSettings(port, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost, sshPort, sshUser,
                sshKey, vmPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, gvisorPort, gvisorNetwork);
    }

    public EnvironmentSettings withDockerPort(int port) {
        return new EnvironmentSettings(localPort, dockerHost, port, matchLimits, vmCpus, vmMemoryMib, vagrantDir, sshHost, sshPort, sshUser,
                sshKey, vmPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, gvisorPort, gvisorNetwork);
    }

    public EnvironmentSettings withVm(String dir, String host, int port, String user, String key, int forwardedPort) {
        return new EnvironmentSettings(localPort, dockerHost, dockerPort, matchLimits, vmCpus, vmMemoryMib, dir, host, port, user, key,
                forwardedPort, dockerEndpointHost, vmEndpointHost, dockerNetwork, gvisorPort, gvisorNetwork);
    }
}
