package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.gallerybench.environments.ContainerControl;
import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.StartTiming;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.TreeMap;
import org.gallerybench.environments.StoreListing;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectException;
import org.gallerybench.environments.subject.SubjectManifests;

/**
 * The gallery in a Docker container, driven with docker-java: the container's lifecycle, on the shared template
 * ({@link ServerEnvironment}). Its images ({@link DockerImages}), its sampler ({@link DockerSampler}) and its store
 * ({@link DockerStore}) are rooms of their own. The container publishes port 8080 on the host (5000 by default), or
 * runs on the host network, keeps uploads in a named volume, runs with an init process so that stop is quick, and may
 * be given CPU and memory limits to match the VM. Everything it creates carries the label
 * {@code org.gallerybench.managed=true}, and leftovers of an earlier crash are removed when it connects.
 */
public final class DockerEnvironment extends ServerEnvironment implements ContainerControl,
        StoreListing {
    static final Map<String, String> MANAGED = Map.of(DockerSettings.MANAGED_LABEL, "true");
    static final int CONTAINER_PORT = 8080;
    /** A digest of what a container was made with (its settings and app): one made otherwise is made again. */
    static final String CONFIG_LABEL = "org.gallerybench.config";

    private final DockerSettings settings;
    private final DockerImages images;
    private final DockerStore store;
    private DockerConnection connection;
    private String image;
    private String containerId;
    /** The build the deployed image runs: only a server that says so is ready. Null for an adopted container. */
    private String expectedBuild;
    /** The image of the build named by {@link #expect}, before any deploy; null when none was named. */
    private String expectedImage;

    /** Null: the id follows the settings (docker or gvisor). */
    private final String id;
    /** The app under test when it is a subject of the user's own; null for the gallery. */
    private Subject subject;

    public DockerEnvironment(DockerSettings settings) {
        this(settings, null);
    }

    /** An environment under an id of its own, e.g. docker:host beside docker in one comparison. */
    public DockerEnvironment(DockerSettings settings, String id) {
        this.settings = settings;
        this.id = id;
        this.images = new DockerImages(settings, this::docker);
        this.store = new DockerStore(settings, this::docker);
    }

    @Override
    public String id() {
        return id != null ? id : settings.gvisor() ? "gvisor" : "docker";
    }

    @Override
    public String displayName() {
        String kind = settings.gvisor() ? "gVisor sandbox" : "Docker container";
        // The path is named when it is not the default, and always for a variant measured beside the other path.
        return id != null || settings.network() == DockerSettings.NetworkPath.HOST ? kind + " · " + settings.network().label() : kind;
    }

    @Override
    public String networkPath() {
        if (settings.network() == DockerSettings.NetworkPath.HOST) {
            return "host network";
        }
        return UserlandProxy.read().startsWith("off") ? "published port through iptables NAT" : "published port through docker-proxy";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + settings.resolvedEndpointHost() + ":" + settings.hostPort() + "/");
    }

    public DockerSettings settings() {
        return settings;
    }

    /** Connects to the engine (negotiating the API version) and removes leftovers of an earlier crash. */
    public synchronized DockerConnection connect() {
        if (connection == null) {
            connection = DockerConnection.open(settings.resolvedHost());
            removeLeftovers();
        }
        return connection;
    }

    private DockerClient docker() {
        return connect().client();
    }

    /**
     * Tidies what an earlier run left behind and adopts what it can use: a container of this name, running or stopped,
     * is this environment's container (its status says what it holds; a start of another build, network path or
     * runtime makes it again); one Docker cannot start again (dead, being removed) goes, as do managed images without a
     * tag. Containers of other names (a test's, or the user's gallery) are never touched.
     */
    int removeLeftovers() {
        DockerClient docker = connection.client();
        int removed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(MANAGED).exec()) {
            boolean ours = c.getNames() != null && List.of(c.getNames()).contains("/" + settings.containerName());
            if (!ours) {
                continue;
            }
            if (!"dead".equals(c.getState()) && !"removing".equals(c.getState())) {
                containerId = c.getId();
                continue;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
                removed++;
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
        return removed + images.removeDangling();
    }

    /** The images of this environment's builds (for tests of pruning). */
    DockerImages images() {
        return images;
    }

    /**
     * Runs {@code app} instead of the gallery: its image is built from its manifest's [container], it is told its port,
     * address and store through its own variables, and it is ready when its ready path answers 200. Call before deploy.
     */
    public synchronized DockerEnvironment forSubject(Subject app) {
        if (app.container().isEmpty()) {
            throw new SubjectException(app.name() + " has no [container] section in "
                    + app.dir().resolve(SubjectManifests.FILE) + ": add one to measure it in a container.");
        }
        this.subject = app;
        return this;
    }

    /** The image a deploy of {@code build} makes: status judges what exists against it before anything is deployed. */
    @Override
    public synchronized void expect(ServerArtifact build) {
        if (subject == null) {
            expectedBuild = build.digest();
            expectedImage = images.tag(build);
            if (image != null && !image.equals(expectedImage)) {
                image = null; // deployed before this build was made: deploy again
            }
        }
    }

    /** The image this environment is meant to run: the one deployed, else the expected build's, else null (unknown). */
    private String wantedImage() {
        if (image != null) {
            return image;
        }
        return subject != null ? DockerImages.subjectRepository(subject) + ":" + subject.shortDigest() : expectedImage;
    }

    /**
     * Builds the image for this build of the server (or the subject), unless an image for it already exists; a container
     * of this environment's name holding another build is replaced: removed, and started on this build if it ran.
     */
    @Override
    public void deploy(ServerArtifact artifact) {
        boolean restart;
        synchronized (this) {
            // An app of the user's own does not say which build it runs: only the gallery's build is checked.
            expectedBuild = subject == null ? artifact.digest() : null;
            try {
                image = subject == null ? images.ensure(artifact) : images.ensureSubject(subject);
                restart = removeOtherBuild();
            } catch (EnvironmentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw DockerErrors.explain(e, settings.resolvedHost());
            }
        }
        if (restart) {
            start();
        }
    }

    /** Removes this environment's container if it holds another image than the deployed one; true if it was running. */
    private boolean removeOtherBuild() {
        Optional<InspectContainerResponse> found = findContainer();
        if (found.isEmpty() || image.equals(found.get().getConfig().getImage())) {
            return false;
        }
        boolean running = Boolean.TRUE.equals(found.get().getState().getRunning());
        removeContainer();
        return running;
    }

    /** The image the container runs, once deployed. */
    public synchronized Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** True when the running container runs the image deployed now (or nothing was deployed, so any of ours will do). */
    private boolean runsDeployedImage() {
        if (image == null) {
            return true;
        }
        try {
            InspectContainerResponse inspect = docker().inspectContainerCmd(containerId).exec();
            HostConfig host = inspect.getHostConfig();
            boolean hostNetwork = host != null && "host".equals(host.getNetworkMode());
            String runtime = host == null || host.getRuntime() == null || host.getRuntime().equals("runc") ? "" : host.getRuntime();
            // A container made for another network path, runtime, limits or variables is made again, not restarted.
            Map<String, String> labels = inspect.getConfig().getLabels();
            return image.equals(inspect.getConfig().getImage())
                    && hostNetwork == (settings.network() == DockerSettings.NetworkPath.HOST)
                    && runtime.equals(settings.runtime().orElse(""))
                    && configDigest().equals(labels == null ? null : labels.get(CONFIG_LABEL));
        } catch (NotFoundException gone) {
            containerId = null;
            return false;
        }
    }

    /**
     * Fails with what to do when the settings name a runtime (gVisor's runsc) that the engine does not have.
     */
    private void requireRuntime() {
        if (settings.runtime().isEmpty()) {
            return;
        }
        String name = settings.runtime().get();
        Map<String, ?> runtimes = docker().infoCmd().exec().getRuntimes();
        if (runtimes == null || !runtimes.containsKey(name)) {
            throw new EnvironmentException(runtimeMissing(name, runtimes == null ? List.of() : List.copyOf(runtimes.keySet())));
        }
    }

    static String runtimeMissing(String name, List<String> available) {
        String how = name.equals(DockerSettings.GVISOR_RUNTIME)
                ? " Install gVisor and register it: scripts/setup-machine does both (as root), or by hand: apt-get install runsc,"
                        + " add \"runtimes\": {\"runsc\": {\"path\": \"/usr/bin/runsc\", \"runtimeArgs\": [\"--platform=ptrace\","
                        + " \"--network=host\"]}} to /etc/docker/daemon.json, then send dockerd SIGHUP (sudo pkill -HUP dockerd)."
                : " Register it in /etc/docker/daemon.json and reload dockerd.";
        return "The Docker engine has no runtime named '" + name + "' (it has " + String.join(", ", available) + ")." + how;
    }

    /** Whether the engine has the runtime these settings need (always true without one). */
    public boolean runtimeAvailable() {
        if (settings.runtime().isEmpty()) {
            return true;
        }
        Map<String, ?> runtimes = docker().infoCmd().exec().getRuntimes();
        return runtimes != null && runtimes.containsKey(settings.runtime().get());
    }

    /** Removes any container of ours and times create, start, first 200: command issued → created → running → port open → first 200. */
    public StartTiming freshStart() {
        return timedStart("fresh start", () -> {
            requireImage();
            removeContainer();
        }, timing -> {
            create();
            timing.mark(StartTiming.CREATED);
            issueStart();
            timing.mark(StartTiming.RUNNING);
        }, this::probe);
    }

    /** A container of the deployed image exists afterwards: one of another build, network path or runtime is made again. */
    @Override
    protected synchronized void prepare() {
        requireImage();
        if (containerId == null || !runsDeployedImage()) {
            removeContainer();
            create();
        }
    }

    private void requireImage() {
        if (image == null) {
            throw new EnvironmentException("The Docker image is not built yet: deploy a build first.");
        }
    }

    private synchronized void create() {
        ensurePortFree();
        store.ensureVolume();
        requireRuntime();
        HostConfig host = HostConfig.newHostConfig().withBinds(store.bind(storeMount())).withInit(true);
        List<String> env = new ArrayList<>(settings.serverEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        boolean hostNetwork = settings.network() == DockerSettings.NetworkPath.HOST;
        if (hostNetwork) {
            // The host's network: the server listens on a loopback port of its own; no NAT, no proxy.
            host.withNetworkMode("host");
            env.addAll(listenEnv(settings.publishAddress(), settings.hostPort()));
        } else {
            host.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(settings.publishAddress(), settings.hostPort()),
                    ExposedPort.tcp(CONTAINER_PORT)));
            if (subject != null) {
                env.addAll(listenEnv("0.0.0.0", CONTAINER_PORT));
            }
        }
        if (subject != null) {
            subject.store().filter(st -> !st.env().isEmpty()).ifPresent(st -> env.add(st.env() + "=" + storeMount()));
            subject.container().orElseThrow().env().forEach((k, v) -> env.add(k + "=" + v));
        }
        settings.runtime().ifPresent(host::withRuntime);
        settings.cpus().ifPresent(c -> host.withNanoCPUs((long) (c * 1e9)));
        settings.memoryBytes().ifPresent(m -> host.withMemory(m).withMemorySwap(m));
        Map<String, String> labels = new HashMap<>(MANAGED);
        labels.put(CONFIG_LABEL, configDigest());
        var create = docker().createContainerCmd(image)
                .withName(settings.containerName())
                .withLabels(labels)
                .withExposedPorts(ExposedPort.tcp(CONTAINER_PORT))
                .withEnv(env)
                .withHostConfig(host);
        List<String> command = subjectCommand(hostNetwork);
        if (!command.isEmpty()) {
            create.withCmd(command); // an exec form: no shell reads it
        }
        CreateContainerResponse created = create.exec();
        containerId = created.getId();
    }

    /**
     * Where the container keeps its images, the volume mounted there: /data/uploads, or, for an app that keeps them inside
     * its own files, that folder in /app (where its files are in the image), so that it serves them itself.
     */
    private String storeMount() {
        return subject == null ? DockerStore.MOUNT
                : subject.store().filter(Subject.Store::inside).map(s -> DockerImages.APP_DIR + "/" + s.folder()).orElse(DockerStore.MOUNT);
    }

    /**
     * A subject's command for this container (its ${PORT} and ${HOST} replaced, the one rule of {@code Subject.command});
     * empty for the gallery, and for a subject whose Dockerfile says what to run.
     */
    private List<String> subjectCommand(boolean hostNetwork) {
        if (subject == null || subject.container().orElseThrow().command().isEmpty()) {
            return List.of();
        }
        return Subject.command(subject.container().orElseThrow().command(),
                hostNetwork ? settings.publishAddress() : "0.0.0.0", hostNetwork ? settings.hostPort() : CONTAINER_PORT, "/app");
    }

    /** What a container is made with, apart from its image, as a short digest: its settings and the app's variables. */
    private String configDigest() {
        String all = settings.network() + "|" + settings.runtime().orElse("") + "|" + settings.cpus() + "|" + settings.memoryBytes() + "|"
                + settings.publishAddress() + ":" + settings.hostPort() + "|" + new TreeMap<>(settings.serverEnv()) + "|"
                + (subject == null ? "" : subject.name() + subject.container().map(c -> new TreeMap<>(c.env()).toString()).orElse("")
                        + subjectCommand(settings.network() == DockerSettings.NetworkPath.HOST));
        return HexFormat.of().formatHex(Arrays.copyOf(sha256(all), 6));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How the app is told where to listen: the gallery reads GALLERY_HOST and GALLERY_PORT (set only on the host network:
     * in its image it listens on 8080); a subject reads the variables its manifest names, and also PORT and HOST, which
     * its command may use as ${PORT} and ${HOST}.
     */
    private List<String> listenEnv(String address, int port) {
        if (subject == null) {
            return List.of("GALLERY_HOST=" + address, "GALLERY_PORT=" + port);
        }
        return subject.listenEnv(address, port).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    @Override
    protected synchronized void issueStart() {
        try {
            docker().startContainerCmd(containerId).exec();
        } catch (NotModifiedException alreadyRunning) {
            throw new EnvironmentException("The container changed state while it was being started: try again.");
        }
    }

    @Override
    protected synchronized void issueStop() {
        if (containerId == null) {
            return;
        }
        try {
            docker().stopContainerCmd(containerId).withTimeout(10).exec();
        } catch (NotModifiedException alreadyStopped) {
            // nothing to do
        } catch (NotFoundException gone) {
            containerId = null;
        }
    }

    @Override
    protected boolean alive() {
        return isRunning();
    }

    @Override
    protected synchronized String ended() {
        return "The container exited with code " + docker().inspectContainerCmd(containerId).exec().getState().getExitCodeLong();
    }

    @Override
    protected List<String> logTail(int lines) {
        String id = containerId;
        return id == null ? List.of() : logTail(id, lines);
    }

    @Override
    protected String logName() {
        return "Last log lines";
    }

    @Override
    protected ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).path(subject == null ? "/" : subject.listen().readyPath())
                .deadline(subject == null ? settings.startDeadline() : subject.listen().readyWithin()).expectBuild(expectedBuild)
                .whileAlive(throttled(this::isRunning, Duration.ofMillis(500)));
    }

    @Override
    protected RuntimeException explain(RuntimeException e) {
        return DockerErrors.explain(e, settings.resolvedHost());
    }

    /** Stops the container, then sets its uploads volume to exactly the dataset with the shared reset script. */
    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        requireImage();
        return store.reset(image, script, dataset, this::logTail);
    }

    @Override
    public boolean hostNetwork() {
        return settings.network() == DockerSettings.NetworkPath.HOST;
    }

    /** Stops and removes the container (the image and the uploads volume stay). */
    @Override
    public synchronized void removeContainer() {
        try {
            for (Container c : named()) {
                docker().removeContainerCmd(c.getId()).withForce(true).exec();
            }
        } catch (NotFoundException gone) {
            // already gone
        }
        containerId = null;
    }

    /** The container's id, once created. */
    public synchronized Optional<String> containerId() {
        return Optional.ofNullable(containerId);
    }

    /**
     * Read from the engine, whoever made what it holds: this environment's container (found by its name) and what it
     * runs, else the image of the build it is meant to run ({@link #wantedImage}).
     */
    @Override
    public synchronized EnvironmentStatus status() {
        try {
            connect();
        } catch (EnvironmentException e) {
            return new EnvironmentStatus.Failed(e.getMessage());
        }
        try {
            if (!runtimeAvailable()) {
                return new EnvironmentStatus.Failed(runtimeMissing(settings.runtime().orElseThrow(),
                        List.copyOf(docker().infoCmd().exec().getRuntimes().keySet())));
            }
            String want = wantedImage();
            Optional<InspectContainerResponse> found = findContainer();
            if (found.isEmpty()) {
                containerId = null;
                if (want != null && images.exists(want)) {
                    return new EnvironmentStatus.Deployed("Image of this build present (" + want + "); no container yet: Start makes one.");
                }
                return new EnvironmentStatus.Absent((want == null ? "No image chosen yet" : "No image of this build yet (" + want + ")")
                        + " on Docker " + connection.engineVersion() + " (API " + connection.apiVersion() + "): deploy to build it.");
            }
            InspectContainerResponse container = found.get();
            containerId = container.getId();
            String name = settings.containerName();
            String has = container.getConfig().getImage();
            InspectContainerResponse.ContainerState state = container.getState();
            boolean running = Boolean.TRUE.equals(state.getRunning());
            if (want != null && !want.equals(has)) {
                return new EnvironmentStatus.OtherBuild("Container " + name + " " + (running ? "runs " : "holds ") + has + ", not this build ("
                        + want + "): deploy to replace it.", running);
            }
            if (running) {
                return serving(endpoint(), Duration.ofSeconds(1), "Serving at " + endpoint() + " (container " + name + ", " + has + ").",
                        "Container " + name + " running, not answering yet.");
            }
            Long code = state.getExitCodeLong();
            if ("created".equals(state.getStatus()) || code == null) {
                return new EnvironmentStatus.Deployed("Container " + name + " of this build made, never started (" + has + "): Start starts it.");
            }
            if (code == 0 || code == 143) {
                return new EnvironmentStatus.Deployed("Container " + name + " of this build present, stopped (" + has + "): Start starts it.");
            }
            if (code == 137) {
                boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
                return new EnvironmentStatus.Stopped("Container " + name + " of this build was " + (oom ? "killed out of memory" : "killed")
                        + " (" + has + "): Start starts it again.", oom ? "exit 137: out of memory" : "exit 137: killed");
            }
            return new EnvironmentStatus.Failed("The container exited with code " + code + ": " + String.join(" / ", logTail(2))
                    + " Start tries again; its log says why it ended.");
        } catch (RuntimeException e) {
            return new EnvironmentStatus.Failed(DockerErrors.explain(e, settings.resolvedHost()).getMessage());
        }
    }

    /** This environment's container, found by its exact name, whoever made it. */
    private Optional<InspectContainerResponse> findContainer() {
        for (Container c : named()) {
            try {
                return Optional.of(docker().inspectContainerCmd(c.getId()).exec());
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The containers of exactly this environment's name (Docker's name filter also matches a part of a name). */
    private List<Container> named() {
        return docker().listContainersCmd().withShowAll(true).withNameFilter(List.of(settings.containerName())).exec().stream()
                .filter(c -> c.getNames() != null && List.of(c.getNames()).contains("/" + settings.containerName())).toList();
    }

    @Override
    public SampleStream openSampler(Duration interval) {
        String id;
        DockerClient docker;
        synchronized (this) {
            if (containerId == null || !isRunning()) {
                throw new EnvironmentException("The container is not running: start it before sampling.");
            }
            id = containerId;
            docker = docker();
        }
        return DockerSampler.open(docker, id, settings, interval);
    }

    private boolean isRunning() {
        try {
            return containerId != null
                    && Boolean.TRUE.equals(docker().inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (NotFoundException gone) {
            return false;
        }
    }

    private List<String> logTail(String id, int lines) {
        List<String> out = new ArrayList<>();
        try {
            docker().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            new String(frame.getPayload(), StandardCharsets.UTF_8).lines().forEach(out::add);
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.add("(no logs: " + e.getMessage() + ")");
        }
        return out;
    }

    /**
     * What the container's store holds (for an app that has no /api/images of its own), listed by a short-lived helper
     * container of the same image that mounts the volume: not by exec in the app's container, which gVisor refuses.
     */
    @Override
    public synchronized List<String> storedNames() {
        requireImage();
        return store.list(image, this::logTail).stream().filter(n -> !n.startsWith(".")).sorted().toList();
    }

    /** Removes the uploads volume (the container must be gone): the next start begins with an empty gallery. */
    @Override
    public synchronized void removeVolume() {
        store.removeVolume();
    }

    private void ensurePortFree() {
        if (!settings.resolvedHost().startsWith("unix://")) {
            return; // a remote engine: its ports are not ours to probe
        }
        requirePortFree(settings.bindAddress(), settings.hostPort(),
                settings.gvisor() ? "the gVisor environment" : "the Docker environment");
    }

    private static BooleanSupplier throttled(BooleanSupplier check, Duration every) {
        long[] last = {System.nanoTime()};
        boolean[] value = {true};
        return () -> {
            long now = System.nanoTime();
            if (now - last[0] >= every.toNanos()) {
                last[0] = now;
                value[0] = check.getAsBoolean();
            }
            return value[0];
        };
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
