package org.gallerybench.engine.setup;

import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import org.gallerybench.environments.docker.DockerSettings;

/**
 * One environment's connection settings, as its card edits them: each {@link EnvironmentKind} owns its own record,
 * which knows its defaults and says what is wrong with it ({@link #problems()}); {@link EnvironmentSettings} keeps one
 * of each for settings.json and the CLI.
 */
public sealed interface Connection permits Connection.Local, Connection.Docker, Connection.Gvisor, Connection.Vm {

    /** The kind of environment these settings are for. */
    EnvironmentKind kind();

    /** The port on this machine where the environment's server answers. */
    int port();

    /** What is wrong, in words that say what to do; empty when it can be applied. */
    List<String> problems();

    /** @param port the local server's port (5002) */
    record Local(int port) implements Connection {
        public static Local defaults() {
            return new Local(5002);
        }

        @Override
        public EnvironmentKind kind() {
            return EnvironmentKind.LOCAL;
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            checkPort("the port", port, out);
            return out;
        }
    }

    /**
     * @param engine       the Docker engine; empty for DOCKER_HOST or the local socket
     * @param port         the container's host port (5000)
     * @param matchLimits  give the container the VM's CPUs and memory
     * @param endpointHost where the container's port is reached; empty: a remote engine's host, else 127.0.0.1
     * @param network      "published" (a published port) or "host" (the host's network)
     */
    record Docker(String engine, int port, boolean matchLimits, String endpointHost, String network) implements Connection {
        public Docker {
            engine = engine == null ? "" : engine.strip();
            endpointHost = endpointHost == null ? "" : endpointHost.strip();
            network = network == null || network.isBlank() ? "published" : network.strip();
        }

        public Docker(String engine, int port, boolean matchLimits, String endpointHost) {
            this(engine, port, matchLimits, endpointHost, "published");
        }

        public static Docker defaults() {
            return new Docker("", 5000, true, "", "published");
        }

        @Override
        public EnvironmentKind kind() {
            return EnvironmentKind.DOCKER;
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            checkPort("the host port", port, out);
            if (!engine.isEmpty() && !engine.matches("(unix|tcp|ssh|npipe)://.+")) {
                out.add("the Docker host is a URL such as unix:///var/run/docker.sock, tcp://HOST:2375 or ssh://HOST (got '" + engine + "')");
            }
            checkNetwork(network, out);
            return out;
        }
    }

    /**
     * The gVisor sandbox: the container's image under the runsc runtime, on the same Docker engine.
     *
     * @param port    its host port (5003)
     * @param network "published" or "host"
     */
    record Gvisor(int port, String network) implements Connection {
        public Gvisor {
            network = network == null || network.isBlank() ? "published" : network.strip();
        }

        public static Gvisor defaults() {
            return new Gvisor(5003, "published");
        }

        @Override
        public EnvironmentKind kind() {
            return EnvironmentKind.GVISOR;
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            checkPort("the host port", port, out);
            checkNetwork(network, out);
            return out;
        }
    }

    private static void checkNetwork(String network, List<String> out) {
        try {
            DockerSettings.NetworkPath.parse(network);
        } catch (IllegalArgumentException e) {
            out.add("the network path is 'published' or 'host' (got '" + network + "')");
        }
    }

    /**
     * @param vagrantDir   the Vagrant folder; empty for the project's environments/vagrant
     * @param sshHost      an SSH-reachable VM instead of Vagrant; empty to use Vagrant
     * @param sshPort      its SSH port
     * @param sshUser      its user, with passwordless sudo
     * @param sshKey       its private key
     * @param port         the port that reaches the VM's 8080 (5001)
     * @param endpointHost where the VM's port is reached; empty: the SSH host (127.0.0.1 for Vagrant's forward)
     * @param cpus         the VM's CPUs, and the containers' limit when matched (2)
     * @param memoryMib    the VM's memory, and the containers' limit when matched (1024)
     */
    record Vm(String vagrantDir, String sshHost, int sshPort, String sshUser, String sshKey, int port, String endpointHost, int cpus,
              int memoryMib) implements Connection {
        public Vm {
            cpus = cpus <= 0 ? 2 : cpus;
            memoryMib = memoryMib <= 0 ? 1024 : memoryMib;
            vagrantDir = vagrantDir == null ? "" : vagrantDir.strip();
            sshHost = sshHost == null ? "" : sshHost.strip();
            sshUser = sshUser == null ? "" : sshUser.strip();
            sshKey = sshKey == null ? "" : sshKey.strip();
            endpointHost = endpointHost == null ? "" : endpointHost.strip();
        }

        public Vm(String vagrantDir, String sshHost, int sshPort, String sshUser, String sshKey, int port, String endpointHost) {
            this(vagrantDir, sshHost, sshPort, sshUser, sshKey, port, endpointHost, 2, 1024);
        }

        public static Vm defaults() {
            return new Vm("", "", 22, "", "", 5001, "", 2, 1024);
        }

        @Override
        public EnvironmentKind kind() {
            return EnvironmentKind.VM;
        }

        public Path vagrantDirOr(Path fallback) {
            return vagrantDir.isEmpty() ? fallback : Path.of(vagrantDir);
        }

        public boolean usesVagrant() {
            return sshHost.isEmpty();
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            checkPort("the forwarded port", port, out);
            checkPort("the SSH port", sshPort, out);
            if (!usesVagrant() && (sshUser.isEmpty() || sshKey.isEmpty())) {
                out.add("a VM reached over SSH needs a user and a key file (or clear the SSH host to use Vagrant)");
            }
            return out;
        }
    }

    private static void checkPort(String what, int port, List<String> out) {
        if (port < 1 || port > 65535) {
            out.add(what + " must be between 1 and 65535 (got " + port + ")");
        }
    }
}
