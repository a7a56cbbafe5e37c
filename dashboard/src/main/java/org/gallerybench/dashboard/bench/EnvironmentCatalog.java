package org.gallerybench.dashboard.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.docker.DockerEnvironment;
import org.gallerybench.environments.docker.DockerSettings;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;
import org.gallerybench.environments.vm.SshTarget;
import org.gallerybench.environments.vm.VmEnvironment;
import org.gallerybench.environments.vm.VmSettings;

/**
 * Makes the environments from their settings: one per {@link EnvironmentKind} ({@code local}, {@code docker},
 * {@code gvisor}, {@code vm}) and the network-path variants of docker and gvisor.
 */
public final class EnvironmentCatalog {
    public static final List<String> IDS = EnvironmentKind.ids();
    /** Ticked on first start when available; the gVisor sandbox is chosen on purpose. */
    public static final List<String> DEFAULT_SELECTION = List.of("local", "docker", "vm");

    private final AppPaths paths;
    private final EnvironmentSettings settings;

    public EnvironmentCatalog(AppPaths paths, EnvironmentSettings settings) {
        this.paths = paths;
        this.settings = settings;
    }

    /**
     * A network-path variant of docker or gvisor, named {@code docker:host}, {@code docker:published},
     * {@code gvisor:host} or {@code gvisor:published}: the same environment on a given path, with a container and
     * port of its own (the saved port plus 10 for host, plus 20 for published), so that both paths can be measured in
     * one comparison.
     */
    public record Variant(String base, DockerSettings.NetworkPath path) {
        public static Optional<Variant> of(String id) {
            int colon = id.indexOf(':');
            if (colon < 0 || !List.of("docker", "gvisor").contains(id.substring(0, colon))) {
                return Optional.empty();
            }
            String path = id.substring(colon + 1);
            return path.equals("host") || path.equals("published")
                    ? Optional.of(new Variant(id.substring(0, colon), DockerSettings.NetworkPath.parse(path))) : Optional.empty();
        }

        int portOffset() {
            return path == DockerSettings.NetworkPath.HOST ? 10 : 20;
        }
    }

    /** True for the four environments and the network-path variants of docker and gvisor. */
    public static boolean known(String id) {
        return EnvironmentKind.of(id).isPresent();
    }

    public static String displayName(String id) {
        Optional<Variant> variant = Variant.of(id);
        if (variant.isPresent()) {
            return displayName(variant.get().base()) + " · " + variant.get().path().label();
        }
        return EnvironmentKind.of(id).map(EnvironmentKind::displayName).orElse(id);
    }

    /** Parses "local,docker,vm"; a clear error names a wrong one. */
    public static List<String> parseIds(String list) {
        List<String> ids = List.of(list.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String id : ids) {
            if (!known(id)) {
                throw new IllegalArgumentException("unknown environment '" + id + "': choose from local, docker, gvisor, vm"
                        + " (docker:host, gvisor:published, ... for a network path)");
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("name at least one environment: local, docker, gvisor, vm");
        }
        return ids;
    }

    public Environment create(String id) {
        Optional<Variant> variant = Variant.of(id);
        if (variant.isPresent()) {
            Variant v = variant.get();
            DockerEnvironment base = (DockerEnvironment) create(v.base());
            DockerSettings s = base.settings().withNetwork(v.path()).withHostPort(base.settings().hostPort() + v.portOffset())
                    .withContainerName(base.settings().containerName() + "-" + v.path().key());
            base.close();
            return new DockerEnvironment(s, id);
        }
        return EnvironmentKind.of(id).orElseThrow(() -> new IllegalArgumentException("unknown environment '" + id + "': choose from " + IDS))
                .create(this);
    }

    Environment local() {
        return new LocalEnvironment(LocalSettings.defaults(paths.dataHome()).withPort(settings.localPort())
                .withAotCacheDir(AppPaths.cacheHome().resolve("aot")));
    }

    Environment docker() {
        DockerSettings d = DockerSettings.defaults().withHostPort(settings.dockerPort()).withContainerName(paths.dockerContainerName());
        if (!settings.dockerHost().isBlank()) {
            d = d.withDockerHost(settings.dockerHost());
        }
        d = d.withEndpointHost(settings.dockerEndpointHost());
        if (settings.matchLimits()) {
            d = d.withLimits(settings.vmCpus(), settings.vmMemoryMib() * 1024L * 1024L);
        }
        return new DockerEnvironment(d.withNetwork(DockerSettings.NetworkPath.parse(settings.dockerNetwork())));
    }

    Environment gvisor() {
        DockerSettings g = DockerSettings.gvisorDefaults().withHostPort(settings.gvisorPort())
                .withContainerName(paths.dockerContainerName().equals(DockerSettings.CONTAINER)
                        ? "gallerybench-gvisor" : paths.dockerContainerName() + "-gvisor")
                .withNetwork(DockerSettings.NetworkPath.parse(settings.gvisorNetwork()));
        if (!settings.dockerHost().isBlank()) {
            g = g.withDockerHost(settings.dockerHost());
        }
        if (settings.matchLimits()) {
            g = g.withLimits(settings.vmCpus(), settings.vmMemoryMib() * 1024L * 1024L);
        }
        return new DockerEnvironment(g);
    }

    Environment vm() {
        return new VmEnvironment(vmSettings());
    }

    /** All requested environments, in order. */
    public Map<String, Environment> create(List<String> ids) {
        Map<String, Environment> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, create(id)));
        return out;
    }

    private VmSettings vmSettings() {
        Optional<Path> runtime = Optional.of(paths.vmRuntime());
        VmSettings vm;
        if (settings.usesVagrant()) {
            vm = VmSettings.vagrant(settings.vagrantDirOr(paths.vagrantDir()), paths.dataHome(), runtime);
            vm = new VmSettings(vm.vagrantDir(), vm.ssh(), settings.vmEndpointHost().isBlank() ? vm.endpointHost() : settings.vmEndpointHost(),
                    settings.vmPort(), vm.knownHosts(), vm.runtimeDir(),
                    vm.hypervisorName(), vm.bootDeadline(), vm.startDeadline(), vm.deployDeadline(),
                    Map.of("GALLERYBENCH_VM_CPUS", Integer.toString(settings.vmCpus()), "GALLERYBENCH_VM_MEMORY",
                            Integer.toString(settings.vmMemoryMib())))
                    .withMachine(AppPaths.vagrantMachine(), settings.vmPort());
        } else {
            SshTarget target = new SshTarget(settings.sshHost(), settings.sshPort(), settings.sshUser(), Path.of(settings.sshKey()));
            // The VM's endpoint is on its SSH host unless set otherwise.
            vm = VmSettings.ssh(target, settings.vmEndpointHost().isBlank() ? settings.sshHost() : settings.vmEndpointHost(), settings.vmPort(),
                    paths.dataHome(), runtime);
        }
        return vm;
    }
}
