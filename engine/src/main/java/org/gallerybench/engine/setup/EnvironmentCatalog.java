package org.gallerybench.engine.setup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectProcessEnvironment;
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
    public static final List<String> DEFAULT_SELECTION = List.of(EnvironmentKind.LOCAL.id(), EnvironmentKind.DOCKER.id(), EnvironmentKind.VM.id());

    private final AppPaths paths;
    private final EnvironmentSettings settings;
    /** The app under test: null for the built-in gallery. */
    private final Subject subject;

    public EnvironmentCatalog(AppPaths paths, EnvironmentSettings settings) {
        this(paths, settings, null);
    }

    /** The environments for {@code subject} (null, or the built-in gallery's manifest: the gallery). */
    public EnvironmentCatalog(AppPaths paths, EnvironmentSettings settings, Subject subject) {
        this.paths = paths;
        this.settings = settings;
        this.subject = subject == null || subject.builtin() ? null : subject;
    }

    /** These environments, for another app under test. */
    public EnvironmentCatalog forSubject(Subject other) {
        return new EnvironmentCatalog(paths, settings, other);
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
            if (colon < 0 || !EnvironmentKind.has(id.substring(0, colon), EnvironmentKind.Capability.NETWORK_PATH)) {
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

    /**
     * The environment's one name, as its settings make it ("Docker container · host network" when its saved path is the
     * host's): asked of the environment itself, so that cards, phase lines, charts and reports say the same.
     */
    public String displayName(String id) {
        try (Environment env = create(id)) {
            return env.displayName();
        }
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
        if (subject != null) {
            return forOwnSubject(id);
        }
        return create0(id);
    }

    /** The gallery's environment of this id. */
    private Environment create0(String id) {
        Optional<Variant> variant = Variant.of(id);
        if (variant.isPresent()) {
            Variant v = variant.get();
            DockerEnvironment base = (DockerEnvironment) create0(v.base());
            DockerSettings s = base.settings().withNetwork(v.path()).withHostPort(base.settings().hostPort() + v.portOffset())
                    .withContainerName(base.settings().containerName() + "-" + v.path().key());
            base.close();
            return new DockerEnvironment(s, id);
        }
        return EnvironmentKind.of(id).orElseThrow(() -> new IllegalArgumentException("unknown environment '" + id + "': choose from " + IDS))
                .create(this);
    }

    /**
     * A subject of the user's own: a process on this machine (local), its image in a container of its own (docker and
     * gvisor, with the gallery's container settings), or a service of its own in the gallery's VM. A section its manifest
     * lacks makes that environment say so, and the other environments of the run are still measured.
     */
    private Environment forOwnSubject(String id) {
        if (EnvironmentKind.has(id, EnvironmentKind.Capability.BASELINE)) {
            return new SubjectProcessEnvironment(subject, "127.0.0.1", settings.local().port(), paths.dataHome(),
                    subject.listen().readyWithin());
        }
        if (EnvironmentKind.has(id, EnvironmentKind.Capability.CONTAINER) && subject.container().isPresent()) {
            // The gallery's container settings (engine, port, limits, network path, runtime), with a container and volume of
            // the subject's own, so that the gallery's are never touched.
            DockerEnvironment gallery = (DockerEnvironment) create0(id);
            DockerSettings s = gallery.settings().withContainerName(gallery.settings().containerName() + "-" + subject.name());
            gallery.close();
            return new DockerEnvironment(s, Variant.of(id).isPresent() ? id : null).forSubject(subject);
        }
        if (EnvironmentKind.has(id, EnvironmentKind.Capability.MACHINE) && subject.vm().isPresent()) {
            return ((VmEnvironment) create0(id)).forSubject(subject);
        }
        String name = EnvironmentKind.of(id).map(EnvironmentKind::displayName).orElse(id);
        String section = EnvironmentKind.has(id, EnvironmentKind.Capability.CONTAINER) ? "container" : "vm";
        return new UnavailableEnvironment(id, name, subject.name() + " in " + id + ": its manifest has no [" + section + "] section: add one"
                + " (packages, files, command) to measure it " + (section.equals("vm") ? "in the VM." : "in a container."));
    }

    Environment local() {
        return new LocalEnvironment(LocalSettings.defaults(paths.dataHome()).withPort(settings.local().port())
                .withAotCacheDir(AppPaths.cacheHome().resolve("aot")));
    }

    Environment docker() {
        Connection.Docker c = settings.docker();
        DockerSettings d = DockerSettings.defaults().withHostPort(c.port()).withContainerName(paths.dockerContainerName());
        if (!c.engine().isBlank()) {
            d = d.withDockerHost(c.engine());
        }
        d = d.withEndpointHost(c.endpointHost());
        return new DockerEnvironment(matched(d, c.matchLimits()).withNetwork(DockerSettings.NetworkPath.parse(c.network())));
    }

    /** The sandbox runs on the Docker environment's engine, with its limits. */
    Environment gvisor() {
        Connection.Docker engine = settings.docker();
        Connection.Gvisor c = settings.gvisor();
        DockerSettings g = DockerSettings.gvisorDefaults().withHostPort(c.port())
                .withContainerName(paths.dockerContainerName().equals(DockerSettings.CONTAINER)
                        ? "gallerybench-gvisor" : paths.dockerContainerName() + "-gvisor")
                .withNetwork(DockerSettings.NetworkPath.parse(c.network()));
        if (!engine.engine().isBlank()) {
            g = g.withDockerHost(engine.engine());
        }
        return new DockerEnvironment(matched(g, engine.matchLimits()));
    }

    /** A container given the VM's CPUs and memory, so the two compete on equal terms. */
    private DockerSettings matched(DockerSettings d, boolean match) {
        Connection.Vm vm = settings.vm();
        return match ? d.withLimits(vm.cpus(), vm.memoryMib() * 1024L * 1024L) : d;
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
        Connection.Vm c = settings.vm();
        VmSettings vm;
        if (c.usesVagrant()) {
            vm = VmSettings.vagrant(c.vagrantDirOr(paths.vagrantDir()), paths.dataHome(), runtime);
            vm = new VmSettings(vm.vagrantDir(), vm.ssh(), c.endpointHost().isBlank() ? vm.endpointHost() : c.endpointHost(),
                    c.port(), vm.knownHosts(), vm.runtimeDir(),
                    vm.hypervisorName(), vm.bootDeadline(), vm.startDeadline(), vm.deployDeadline(),
                    Map.of("GALLERYBENCH_VM_CPUS", Integer.toString(c.cpus()), "GALLERYBENCH_VM_MEMORY", Integer.toString(c.memoryMib())))
                    .withMachine(AppPaths.vagrantMachine(), c.port());
        } else {
            SshTarget target = new SshTarget(c.sshHost(), c.sshPort(), c.sshUser(), Path.of(c.sshKey()));
            // The VM's endpoint is on its SSH host unless set otherwise.
            vm = VmSettings.ssh(target, c.endpointHost().isBlank() ? c.sshHost() : c.endpointHost(), c.port(), paths.dataHome(), runtime);
        }
        return vm;
    }
}
