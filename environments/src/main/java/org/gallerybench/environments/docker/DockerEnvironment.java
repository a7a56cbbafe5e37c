package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.HostProcesses;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.ServerLifecycle;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;

/**
 * The gallery in a Docker container, driven with docker-java. The image is built from
 * {@code environments/docker/Dockerfile} with this build of the server; the container publishes port 8080 on
 * the host (5000 by default), keeps uploads in a named volume, runs with an init process so that stop is quick,
 * and may be given CPU and memory limits to match the VM. Everything it creates carries the label
 * {@code org.gallerybench.managed=true}, and leftovers of an earlier crash are removed when it connects.
 */
public final class DockerEnvironment implements Environment, org.gallerybench.environments.StoreControl,
        org.gallerybench.environments.ContainerControl {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DockerEnvironment.class.getName());
    private static final Map<String, String> MANAGED = Map.of(DockerSettings.MANAGED_LABEL, "true");
    private static final int CONTAINER_PORT = 8080;

    private final DockerSettings settings;
    private DockerConnection connection;
    private String image;
    private String containerId;
    /** The build the deployed image runs: only a server that says so is ready. Null for an adopted container. */
    private String expectedBuild;

    /** Null: the id follows the settings (docker or gvisor). */
    private final String id;

    public DockerEnvironment(DockerSettings settings) {
        this(settings, null);
    }

    /** An environment under an id of its own, e.g. docker:host beside docker in one comparison. */
    public DockerEnvironment(DockerSettings settings, String id) {
        this.settings = settings;
        this.id = id;
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
     * Removes what an earlier run left behind: a stopped container of this name, and managed images without a tag.
     * A running container of ours is adopted. Containers of other names (a test's, or the user's gallery) are never
     * touched.
     */
    int removeLeftovers() {
        DockerClient docker = connection.client();
        int removed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(MANAGED).exec()) {
            boolean ours = c.getNames() != null && List.of(c.getNames()).contains("/" + settings.containerName());
            if (!ours) {
                continue;
            }
            if ("running".equals(c.getState())) {
                containerId = c.getId();
                image = c.getImage();
                continue;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
                removed++;
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
        for (Image i : docker.listImagesCmd().withDanglingFilter(true).withLabelFilter(MANAGED).exec()) {
            try {
                docker.removeImageCmd(i.getId()).withForce(true).exec();
                removed++;
            } catch (RuntimeException inUse) {
                // still used by something: leave it
            }
        }
        return removed;
    }

    /** Builds the image for this build of the server, unless an image for it already exists. */
    @Override
    public synchronized void deploy(ServerArtifact artifact) {
        String tag = settings.image() + ":" + artifact.shortDigest();
        expectedBuild = artifact.digest();
        try {
            if (imageExists(tag)) {
                image = tag;
                return;
            }
            String base = settings.baseImage().orElseGet(() -> imageExists(DockerSettings.LOCAL_BASE) ? DockerSettings.LOCAL_BASE : null);
            Path context = buildContext(artifact);
            List<String> log = new ArrayList<>();
            try {
                var build = docker().buildImageCmd(context.toFile())
                        .withTags(Set.of(tag, settings.image() + ":latest"))
                        .withLabels(Map.of(DockerSettings.MANAGED_LABEL, "true", "org.gallerybench.build", artifact.digest()))
                        .withRemove(true)
                        .withForcerm(true)
                        .withPull(base == null);
                if (base != null) {
                    build.withBuildArg("BASE_IMAGE", base);
                }
                build.exec(new BuildImageResultCallback() {
                    @Override
                    public void onNext(BuildResponseItem item) {
                        if (item.getStream() != null) {
                            item.getStream().lines().filter(l -> !l.isBlank()).forEach(log::add);
                        }
                        if (item.isErrorIndicated() && item.getErrorDetail() != null) {
                            log.add(item.getErrorDetail().getMessage());
                        }
                        super.onNext(item);
                    }
                }).awaitImageId(15, TimeUnit.MINUTES);
            } catch (RuntimeException e) {
                String tail = String.join("\n  ", log.subList(Math.max(0, log.size() - 12), log.size()));
                String hint = base == null
                        ? " No local base image was found, so it tried to pull eclipse-temurin:25-jre; without a registry, build"
                          + " one first: environments/docker/build-base-image.sh."
                        : "";
                throw new EnvironmentException("The image build failed (base image " + (base == null ? "eclipse-temurin:25-jre" : base)
                        + "): " + rootMessage(e) + "." + hint + "\nLast lines of the build log:\n  " + tail, e);
            } finally {
                deleteTree(context);
            }
            image = tag;
            pruneOldImages(tag);
        } catch (RuntimeException e) {
            throw DockerErrors.explain(e, settings.resolvedHost());
        }
    }

    /** How many builds' images are kept: this one and the one before. */
    static final int KEEP_IMAGES = 2;

    /**
     * Each build is a new image of about 185 MB: after a new one is built, the images of older builds go, keeping the
     * newest {@value #KEEP_IMAGES}. Only this tool's (its label, its repository); an image a container still uses stays
     * (Docker refuses to remove it without force, which this never uses). Returns the tags removed.
     */
    List<String> pruneOldImages(String current) {
        DockerClient docker = connection.client();
        List<Image> ours = new ArrayList<>(docker.listImagesCmd().withLabelFilter(MANAGED).exec());
        ours.sort(Comparator.comparing((Image i) -> i.getCreated() == null ? 0L : i.getCreated()).reversed());
        List<String> removed = new ArrayList<>();
        int kept = 0;
        for (Image i : ours) {
            List<String> tags = i.getRepoTags() == null ? List.of()
                    : List.of(i.getRepoTags()).stream().filter(t -> t.startsWith(settings.image() + ":")).toList();
            if (tags.isEmpty()) {
                continue;
            }
            if (kept < KEEP_IMAGES || tags.contains(current) || tags.contains(settings.image() + ":latest")) {
                kept++;
                continue;
            }
            for (String t : tags) {
                try {
                    docker.removeImageCmd(t).withForce(false).exec();
                    removed.add(t);
                } catch (RuntimeException inUse) {
                    // a container still uses it, or it went meanwhile: leave it
                }
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("Removed the images of older builds: " + String.join(", ", removed));
        }
        return removed;
    }

    /** The image the container runs, once deployed. */
    public synchronized Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** Starts the container; if none is running, a fresh one: create, start, first 200, each phase timed. */
    @Override
    public synchronized StartTiming start() {
        if (containerId != null && isRunning() && runsDeployedImage()) {
            StartTiming.Recorder timing = new StartTiming.Recorder("start");
            return timing.finish(probe().awaitReady());
        }
        return freshStart(); // a container of another build is replaced, never adopted
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
            // A container made for another network path or runtime is made again, not restarted.
            return image.equals(inspect.getConfig().getImage())
                    && hostNetwork == (settings.network() == DockerSettings.NetworkPath.HOST)
                    && runtime.equals(settings.runtime().orElse(""));
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

    /** Removes any container of ours and times create, start, first 200. */
    public synchronized StartTiming freshStart() {
        if (image == null) {
            throw new EnvironmentException("The Docker image is not built yet: deploy a build first.");
        }
        try {
            removeContainer();
            ensurePortFree();
            ensureVolume();
            requireRuntime();
            HostConfig host = HostConfig.newHostConfig()
                    .withBinds(new Bind(settings.volumeName(), new Volume("/data/uploads")))
                    .withInit(true);
            List<String> env = new java.util.ArrayList<>(
                    settings.serverEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            if (settings.network() == DockerSettings.NetworkPath.HOST) {
                // The host's network: the server listens on a loopback port of its own; no NAT, no proxy.
                host.withNetworkMode("host");
                env.add("GALLERY_HOST=" + settings.publishAddress());
                env.add("GALLERY_PORT=" + settings.hostPort());
            } else {
                host.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(settings.publishAddress(), settings.hostPort()),
                        ExposedPort.tcp(CONTAINER_PORT)));
            }
            settings.runtime().ifPresent(host::withRuntime);
            settings.cpus().ifPresent(c -> host.withNanoCPUs((long) (c * 1e9)));
            settings.memoryBytes().ifPresent(m -> host.withMemory(m).withMemorySwap(m));
            StartTiming.Recorder timing = new StartTiming.Recorder("fresh start");
            CreateContainerResponse created = docker().createContainerCmd(image)
                    .withName(settings.containerName())
                    .withLabels(MANAGED)
                    .withExposedPorts(ExposedPort.tcp(CONTAINER_PORT))
                    .withEnv(env)
                    .withHostConfig(host)
                    .exec();
            containerId = created.getId();
            timing.mark(StartTiming.CREATED);
            docker().startContainerCmd(containerId).exec();
            timing.mark(StartTiming.RUNNING);
            return timing.finish(awaitReadiness());
        } catch (RuntimeException e) {
            throw DockerErrors.explain(e, settings.resolvedHost());
        }
    }

    /** Stop, then start, each timed: command issued → stopped → start issued → running → port open → first 200. */
    @Override
    public synchronized StartTiming restart() {
        if (containerId == null) {
            return freshStart();
        }
        try {
            StartTiming.Recorder timing = new StartTiming.Recorder(StartTiming.RESTART);
            docker().stopContainerCmd(containerId).withTimeout(10).exec();
            timing.mark(StartTiming.STOPPED).mark(StartTiming.START_ISSUED);
            docker().startContainerCmd(containerId).exec();
            timing.mark(StartTiming.RUNNING);
            return timing.finish(awaitReadiness());
        } catch (NotModifiedException alreadyStopped) {
            return coldStart();
        } catch (NotFoundException gone) {
            containerId = null;
            return freshStart();
        } catch (RuntimeException e) {
            throw DockerErrors.explain(e, settings.resolvedHost());
        }
    }

    /**
     * {@code docker start} of the stopped container, timed: command issued → running → port open → first 200. A
     * container that runs is stopped first, and one that does not exist yet is created first (neither timed).
     */
    @Override
    public synchronized StartTiming coldStart() {
        try {
            if (containerId == null || !runsDeployedImage()) {
                freshStart();
            }
            if (isRunning()) {
                docker().stopContainerCmd(containerId).withTimeout(10).exec();
            }
            StartTiming.Recorder timing = new StartTiming.Recorder(StartTiming.COLD_START);
            docker().startContainerCmd(containerId).exec();
            timing.mark(StartTiming.RUNNING);
            return timing.finish(awaitReadiness());
        } catch (NotModifiedException raced) {
            throw new EnvironmentException("The container changed state while it was being cold-started: try again.");
        } catch (RuntimeException e) {
            throw e instanceof EnvironmentException ee ? ee : DockerErrors.explain(e, settings.resolvedHost());
        }
    }

    private ReadinessProbe.Readiness awaitReadiness() {
        return ServerLifecycle.awaitFirst200(probe().whileAlive(throttled(this::isRunning, Duration.ofMillis(500))), server());
    }

    private long awaitReady() {
        return awaitReadiness().readyNanos();
    }

    /** The container, as the shared lifecycle explains a start that did not answer: how it exited, its log tail. */
    private ServerLifecycle.Server server() {
        return new ServerLifecycle.Server() {
            @Override
            public boolean alive() {
                return isRunning();
            }

            @Override
            public String ended() {
                return "The container exited with code " + docker().inspectContainerCmd(containerId).exec().getState().getExitCodeLong();
            }

            @Override
            public List<String> logTail(int lines) {
                return DockerEnvironment.this.logTail(lines);
            }

            @Override
            public String logName() {
                return "Last log lines";
            }
        };
    }

    private ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).deadline(settings.startDeadline()).expectBuild(expectedBuild);
    }

    @Override
    public synchronized void stop() {
        if (containerId == null) {
            return;
        }
        try {
            docker().stopContainerCmd(containerId).withTimeout(10).exec();
        } catch (NotFoundException gone) {
            containerId = null;
        } catch (com.github.dockerjava.api.exception.NotModifiedException alreadyStopped) {
            // fine
        } catch (RuntimeException e) {
            throw DockerErrors.explain(e, settings.resolvedHost());
        }
    }

    @Override
    public boolean hostNetwork() {
        return settings.network() == DockerSettings.NetworkPath.HOST;
    }

    /** Stops and removes the container (the image and the uploads volume stay). */
    @Override
    public synchronized void removeContainer() {
        try {
            for (Container c : docker().listContainersCmd().withShowAll(true)
                    .withNameFilter(List.of(settings.containerName())).exec()) {
                if (c.getNames() != null && List.of(c.getNames()).contains("/" + settings.containerName())) {
                    docker().removeContainerCmd(c.getId()).withForce(true).exec();
                }
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
            if (containerId == null) {
                return image == null
                        ? new EnvironmentStatus.Absent("No image built yet (Docker " + connection.engineVersion() + ", API "
                                + connection.apiVersion() + "): deploy to build it.")
                        : new EnvironmentStatus.Stopped("Image " + image + " built; no container running.");
            }
            InspectContainerResponse.ContainerState state = docker().inspectContainerCmd(containerId).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                Long code = state.getExitCodeLong();
                return code != null && code != 0 && code != 143 && code != 137
                        ? new EnvironmentStatus.Failed("The container exited with code " + code + ": " + String.join(" / ", logTail(2)))
                        : new EnvironmentStatus.Stopped(code == null || code == 0 ? "Container stopped."
                                : "The container stopped (exit " + code + (code == 137 ? ": killed" : "") + ").");
            }
            return ServerLifecycle.serving(endpoint(), Duration.ofSeconds(1),
                    "Serving at " + endpoint() + " (container " + containerId.substring(0, 12) + ").", "Container running, not answering yet.");
        } catch (NotFoundException gone) {
            containerId = null;
            return new EnvironmentStatus.Stopped("The container was removed.");
        } catch (RuntimeException e) {
            return new EnvironmentStatus.Failed(DockerErrors.explain(e, settings.resolvedHost()).getMessage());
        }
    }

    /**
     * Streams {@code docker stats} for the container: CPU and cgroup memory exactly as the CLI computes them,
     * the first sample (which has no previous reading) dropped; the JVM's RSS comes from {@code docker top}.
     * The engine sends one reading a second; a longer interval keeps every n-th.
     */
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
        AtomicLong lastPublished = new AtomicLong();
        AtomicBoolean first = new AtomicBoolean(true);
        SampleStream[] out = new SampleStream[1];
        // What the host pays besides the container's cgroup: the userland proxy that carries every byte to the
        // published port, and the container's containerd shim. Only visible when the engine runs on this machine.
        HostProcesses helpers = settings.engineHost().isEmpty()
                ? new HostProcesses(HostProcesses.dockerProxy(settings.hostPort()).or(HostProcesses.containerdShim(id))) : null;
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                if (first.getAndSet(false) && !DockerStatsMath.hasPrevious(s)) {
                    return;
                }
                long now = System.nanoTime();
                if (now - lastPublished.get() < interval.toNanos() - 200_000_000L) {
                    return;
                }
                lastPublished.set(now);
                double cpu = DockerStatsMath.cpuPercent(s);
                long memory = DockerStatsMath.memoryBytes(s);
                HostProcesses.Reading extra = helpers == null ? new HostProcesses.Reading(0, 0, 0) : helpers.read();
                long app = javaRss(docker, id);
                if (app < 0 && settings.gvisor()) {
                    // gVisor's ps has no RSS: the sandbox's cgroup (the JVM, runsc's sandbox and gofer) is the app's figure.
                    app = memory;
                }
                out[0].publish(new ResourceSample(Instant.now(), cpu, app, memory, cpu + extra.cpuPercent(),
                        memory + extra.rssBytes(), extra.processes() > 0 ? "docker stats + docker-proxy, shim" : "docker stats"));
            }

            @Override
            public void onError(Throwable t) {
                if (!out[0].isClosed()) {
                    out[0].fail(DockerErrors.explain(t instanceof RuntimeException r ? r : new RuntimeException(t),
                            settings.resolvedHost()));
                }
            }
        };
        out[0] = new SampleStream(() -> {
            try {
                callback.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        docker.statsCmd(id).exec(callback);
        return out[0];
    }

    /** RSS of the JVM in the container, from {@code docker top -o pid,rss,args}; -1 if it cannot be read. */
    static long javaRss(DockerClient docker, String id) {
        try {
            TopContainerResponse top = docker.topContainerCmd(id).withPsArgs("-o pid,rss,args").exec();
            List<String> titles = List.of(top.getTitles());
            int rss = titles.indexOf("RSS");
            int args = Math.max(titles.indexOf("COMMAND"), titles.indexOf("ARGS"));
            for (String[] row : top.getProcesses()) {
                // The JVM itself, not the init process whose arguments also name java.
                String program = rss >= 0 && args >= 0 ? row[args].strip().split("\\s+")[0] : "";
                if (program.equals("java") || program.endsWith("/java")) {
                    return Long.parseLong(row[rss].trim()) * 1024;
                }
            }
        } catch (RuntimeException e) {
            // the container is stopping, or ps has other columns: report unknown
        }
        return -1;
    }

    private boolean isRunning() {
        try {
            return containerId != null
                    && Boolean.TRUE.equals(docker().inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (NotFoundException gone) {
            return false;
        }
    }

    private List<String> logTail(int lines) {
        return logTail(containerId, lines);
    }

    private List<String> logTail(String id, int lines) {
        List<String> out = new ArrayList<>();
        try {
            docker().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8).lines().forEach(out::add);
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            out.add("(no logs: " + e.getMessage() + ")");
        }
        return out;
    }

    private boolean imageExists(String name) {
        try {
            docker().inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Stops the container, then sets its uploads volume to exactly the dataset with the shared reset script, run in
     * a short-lived container of the same image that mounts the volume and the dataset (so this needs the engine on
     * this machine).
     */
    @Override
    public synchronized String resetStore(org.gallerybench.environments.Dataset dataset) {
        if (settings.engineHost().isPresent()) {
            throw new EnvironmentException("Setting the container's gallery to the benchmark's images needs the Docker engine on this"
                    + " machine (it mounts the images); with a remote engine, run with --dataset 0 to leave its gallery as it is.");
        }
        if (image == null) {
            throw new EnvironmentException("The Docker image is not built yet: deploy a build first.");
        }
        Path scripts = null;
        String helper = null;
        try {
            if (containerId != null && isRunning()) {
                docker().stopContainerCmd(containerId).withTimeout(10).exec();
            }
            ensureVolume();
            scripts = Files.createTempDirectory("gallerybench-reset-");
            Files.writeString(scripts.resolve("reset-store.sh"), org.gallerybench.environments.StoreControl.script());
            scripts.toFile().setReadable(true, false);
            scripts.toFile().setExecutable(true, false);
            scripts.resolve("reset-store.sh").toFile().setReadable(true, false);
            helper = docker().createContainerCmd(image)
                    .withEntrypoint("sh")
                    .withCmd("/reset/reset-store.sh", "/data/uploads", "/dataset")
                    .withLabels(MANAGED)
                    .withHostConfig(HostConfig.newHostConfig().withBinds(
                            new Bind(settings.volumeName(), new Volume("/data/uploads")),
                            new Bind(dataset.dir().toString(), new Volume("/dataset"), com.github.dockerjava.api.model.AccessMode.ro),
                            new Bind(scripts.toString(), new Volume("/reset"), com.github.dockerjava.api.model.AccessMode.ro)))
                    .exec().getId();
            docker().startContainerCmd(helper).exec();
            int code = docker().waitContainerCmd(helper).exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                    .awaitStatusCode(5, TimeUnit.MINUTES);
            List<String> log = logTail(helper, 20);
            if (code != 0) {
                throw new EnvironmentException("Setting the container's gallery to the benchmark's images failed (exit " + code + "):\n  "
                        + String.join("\n  ", log));
            }
            return log.isEmpty() ? "store reset" : log.getLast();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot prepare the store reset: " + e.getMessage(), e);
        } catch (EnvironmentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.explain(e, settings.resolvedHost());
        } finally {
            if (helper != null) {
                try {
                    docker().removeContainerCmd(helper).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // gone
                }
            }
            if (scripts != null) {
                deleteTree(scripts);
            }
        }
    }

    private void ensureVolume() {
        try {
            docker().inspectVolumeCmd(settings.volumeName()).exec();
        } catch (NotFoundException e) {
            docker().createVolumeCmd().withName(settings.volumeName()).withLabels(MANAGED).exec();
        }
    }

    /** Removes the uploads volume (the container must be gone): the next start begins with an empty gallery. */
    @Override
    public synchronized void removeVolume() {
        try {
            docker().removeVolumeCmd(settings.volumeName()).exec();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    private void ensurePortFree() {
        if (!settings.resolvedHost().startsWith("unix://")) {
            return; // a remote engine: its ports are not ours to probe
        }
        ServerLifecycle.requirePortFree(settings.bindAddress(), settings.hostPort(),
                settings.gvisor() ? "the gVisor environment" : "the Docker environment");
    }

    private static Path buildContext(ServerArtifact artifact) {
        try {
            Path context = Files.createTempDirectory("gallerybench-docker-");
            try (InputStream dockerfile = DockerEnvironment.class.getResourceAsStream("Dockerfile")) {
                if (dockerfile == null) {
                    throw new IllegalStateException("the Dockerfile is missing from the environments jar");
                }
                Files.copy(dockerfile, context.resolve("Dockerfile"));
            }
            for (ServerArtifact.Entry entry : artifact.files()) {
                Path target = context.resolve("app").resolve(entry.relativePath());
                Files.createDirectories(target.getParent());
                Files.copy(entry.path(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            // The server says which build it runs (X-Gallery-Build) from the file beside its jar.
            Files.writeString(context.resolve("app/build"), artifact.digest() + "\n");
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
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
