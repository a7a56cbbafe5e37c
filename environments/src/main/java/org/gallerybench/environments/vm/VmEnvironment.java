package org.gallerybench.environments.vm;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.HostProcesses;
import org.gallerybench.environments.MachineControl;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.Scratch;
import org.gallerybench.environments.StoreControl;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.StoreListing;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectException;
import org.gallerybench.environments.subject.SubjectManifests;
import java.util.OptionalLong;

/**
 * The gallery in a virtual machine, driven over SSH with JSch: a Vagrant VM (environments/vagrant), or any machine
 * given by host, port, user and key. Two parts: the machine ({@link VagrantMachine}: up, halted, booted) and the
 * service in it ({@link GuestService}: {@code gallery.service} under systemd); its lifecycle is the shared template's
 * ({@link ServerEnvironment}). The guest's port is forwarded to this host (5001 by default). Deploy uploads over SFTP
 * only what changed, then runs the same provision.sh that Vagrant's provisioning runs. Samples come from {@code top}
 * streaming over one channel.
 *
 * <p>An app of the user's own ({@link #forSubject}) is installed from its manifest's [vm] section by
 * subject-provision.sh: its Debian packages with the guest's apt, its files in /opt/subject/NAME, and a unit of its own
 * ({@code gb-subject-NAME.service}, which conflicts with the gallery's: both listen on the guest's 8080).
 */
public final class VmEnvironment extends ServerEnvironment implements MachineControl, StoreListing {
    private static final String STAGE = "gallerybench-stage";
    private static final String GALLERY_STORE = "/var/lib/gallery/uploads";
    /** The digest of the build installed in the guest (provision.sh writes it). */
    private static final String GALLERY_BUILD = "/opt/gallery/app/build";

    private final VmSettings settings;
    private final ManagedKnownHosts knownHosts;
    private final VagrantMachine machine;
    private GuestService service;
    private SshConnection ssh;
    /** The app under test when it is a subject of the user's own; null for the gallery. */
    private Subject subject;

    /** The build deployed by this object: only a server that says so is ready. Null until a deploy. */
    private volatile String expectedBuild;

    public VmEnvironment(VmSettings settings) {
        this.settings = settings;
        this.knownHosts = new ManagedKnownHosts(settings.knownHosts());
        this.machine = settings.vagrantDir().isPresent() ? VagrantMachine.of(settings) : VagrantMachine.none();
        this.service = new GuestService(this::ssh, settings.startDeadline());
    }

    @Override
    public String id() {
        return "vm";
    }

    @Override
    public String displayName() {
        return machine.managed() ? "Vagrant VM" : "VM over SSH";
    }

    @Override
    public String networkPath() {
        // Vagrant's libvirt provider forwards the host port into the guest with QEMU's user-mode network (slirp),
        // a userland TCP relay like docker-proxy; a VM reached over SSH is whatever network leads to it.
        return machine.managed() ? "QEMU user-mode forward" : "the network to " + settings.endpointHost();
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + settings.endpointHost() + ":" + settings.endpointPort() + "/");
    }

    public VmSettings settings() {
        return settings;
    }

    /**
     * Runs {@code app} instead of the gallery: installed from its manifest's [vm] section, told its port (the guest's
     * 8080), address and store through its own variables, ready when its ready path answers 200. Call before deploy.
     */
    public synchronized VmEnvironment forSubject(Subject app) {
        if (app.vm().isEmpty()) {
            throw new SubjectException(app.name() + " has no [vm] section in " + app.dir().resolve(SubjectManifests.FILE)
                    + ": add one (packages, files, command) to measure it in the VM.");
        }
        this.subject = app;
        this.service = new GuestService(this::ssh, settings.startDeadline(), SubjectInstall.unit(app), "the " + app.name() + " service");
        return this;
    }

    public ManagedKnownHosts knownHosts() {
        return knownHosts;
    }

    /** One SSH session per environment, opened on first use and again if it dropped. */
    public synchronized SshConnection ssh() {
        if (ssh == null || !ssh.isConnected()) {
            SshTarget target = settings.ssh().orElseGet(machine::sshTarget);
            ssh = SshConnection.open(target, knownHosts, Duration.ofSeconds(60));
        }
        return ssh;
    }

    /**
     * Installs this build in the guest: uploads what changed (server, runtime, unit, launcher) over SFTP, then
     * runs provision.sh, which installs them, enables the unit and trains the AOT cache for a new build.
     */
    @Override
    public void deploy(ServerArtifact artifact) {
        if (!machine.isUp()) {
            upMachine(line -> { }); // deploying needs the machine up
        }
        if (subject != null) {
            SubjectInstall.install(subject, ssh(), settings.deployDeadline());
            return;
        }
        SshConnection connection = ssh();
        try (Scratch scratch = Scratch.create("gallerybench-vm-stage")) {
            Map<String, Path> files = new LinkedHashMap<>();
            for (ServerArtifact.Entry e : artifact.files()) {
                files.put("app/" + e.relativePath(), e.path());
            }
            files.put("app/build", scratch.write("build", artifact.digest() + "\n"));
            for (String resource : List.of("provision.sh", "gallery.service", "gallery-server.sh")) {
                files.put(resource, scratch.copyResource(VmEnvironment.class, resource, resource));
            }
            settings.runtimeDir().ifPresent(runtime -> SshConnection.filesUnder(runtime).forEach((rel, p) -> files.put("runtime/" + rel, p)));
            connection.sync(files, STAGE, List.of("app/libs", "runtime"));
            connection.run("sudo -n bash " + STAGE + "/provision.sh \"$HOME/" + STAGE + "\" --no-start", settings.deployDeadline(),
                    "Installing the server in the VM failed");
            expectedBuild = artifact.digest();
            // A service still running another build is never taken for this one: restart it on the new build.
            if (ReadinessProbe.identify(endpoint()).filter(who -> !artifact.digest().equals(who.build())).isPresent()) {
                connection.run("sudo -n systemctl try-restart " + GuestService.UNIT, settings.startDeadline(),
                        "Restarting the gallery service on the new build failed");
            }
        }
    }

    /** The build a deploy installs: status tells it from another build in the guest before anything is deployed here. */
    @Override
    public void expect(ServerArtifact build) {
        if (subject == null) {
            expectedBuild = build.digest();
        }
    }

    // ---- the lifecycle's hooks: the service in the machine ----

    /**
     * The machine must be up: booting it is a choice (Boot VM, {@link #boot}), never a side effect of a start, and its
     * boot is not the server's start.
     */
    @Override
    protected void prepare() {
        if (machine.managed()) {
            machine.requireUp();
        }
    }

    /** {@code systemctl stop}; nothing when the machine is down. */
    @Override
    protected void issueStop() {
        if (machine.isUp()) {
            service.systemctl("stop");
        }
    }

    /** {@code systemctl start}: it returns once the JVM has been executed (the unit is Type=exec). */
    @Override
    protected void issueStart() {
        service.systemctl("start");
    }

    @Override
    protected boolean alive() {
        String state = service.state();
        return !state.equals("failed") && !state.equals("inactive");
    }

    @Override
    protected String ended() {
        String what = service.label();
        return Character.toUpperCase(what.charAt(0)) + what.substring(1) + " is " + service.state() + " in the VM";
    }

    @Override
    protected List<String> logTail(int lines) {
        return service.journal(lines);
    }

    @Override
    protected String logName() {
        return "Last lines of `" + service.journalName() + "`";
    }

    @Override
    protected String stuckHint() {
        return "The service is " + service.state() + " in the VM; is port " + settings.endpointPort() + " forwarded to the guest's 8080?";
    }

    /**
     * Liveness is asked once the wait fails, not between polls: each question is an SSH round trip. An app of the
     * user's own is ready when its ready path answers 200 (within the longer of its manifest's time and the VM's).
     */
    @Override
    protected ReadinessProbe probe() {
        ReadinessProbe p = ReadinessProbe.forHttp(endpoint()).requestTimeout(Duration.ofSeconds(5));
        if (subject != null) {
            Duration within = subject.listen().readyWithin();
            return p.path(subject.listen().readyPath()).deadline(within.compareTo(settings.startDeadline()) > 0 ? within : settings.startDeadline());
        }
        return p.deadline(settings.startDeadline()).expectBuild(expectedBuild);
    }

    /** The folder the app serves its images from, in the guest. */
    private String storeDir() {
        return subject == null ? GALLERY_STORE : SubjectInstall.storeDir(subject);
    }

    /** Copies the dataset and the script into the guest over SFTP (only what changed) and runs it on the stopped service's store. */
    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("reset-store.sh", script);
        files.put(StoreControl.RECORD, script.resolveSibling(StoreControl.RECORD));
        for (String name : dataset.names()) {
            files.put("dataset/" + name, dataset.dir().resolve(name));
        }
        SshConnection connection = ssh();
        connection.sync(files, "gallerybench-dataset", List.of("dataset"));
        String owner = subject == null ? "gallery:gallery" : SubjectInstall.USER + ":" + SubjectInstall.USER;
        SshConnection.Result r = connection.run("sudo -n sh \"$HOME/gallerybench-dataset/reset-store.sh\" " + storeDir()
                        + " \"$HOME/gallerybench-dataset/dataset\" && sudo -n chown -R " + owner + " " + storeDir(),
                settings.deployDeadline(), "Setting the VM's " + (subject == null ? "gallery" : subject.name()) + " to the benchmark's images failed");
        return r.stdout().strip().lines().reduce((a, b) -> b).orElse("store reset");
    }

    /** What the app's store folder in the guest holds (hidden files, a reset's kept folder, left out). */
    @Override
    public List<String> storedNames() {
        SshConnection.Result r = ssh().run("sudo -n find " + storeDir() + " -mindepth 1 -maxdepth 1 -type f ! -name '.*' -printf '%f\\n'",
                Duration.ofSeconds(60), "Listing the VM's store failed");
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    // ---- the machine ----

    /** True when the machine is up (always, for a VM given by SSH details). */
    public boolean isVmRunning() {
        return machine.isUp();
    }

    @Override
    public boolean isMachineUp() {
        return isVmRunning();
    }

    @Override
    public StartTiming bootAndServe(Consumer<String> progress) {
        return boot(progress);
    }

    @Override
    public void bootMachine(Consumer<String> progress) {
        upMachine(progress);
    }

    @Override
    public boolean managesMachine() {
        return machine.managed();
    }

    /** Cold boot: {@code vagrant up} of a halted VM, then its first 200 (the service is enabled, so it starts at boot). */
    public StartTiming boot(Consumer<String> progress) {
        return timedStart("boot", () -> { }, timing -> {
            upMachine(progress);
            timing.mark(StartTiming.RETURNED);
            if (!service.installed()) {
                throw new EnvironmentException("The VM is up, but " + (subject == null ? "the gallery server" : subject.name())
                        + " is not installed in it yet: deploy it first (Deploy on the card, or gallerybench env up vm).");
            }
            if (subject != null) {
                service.systemctl("start"); // only the gallery starts with the machine
            }
        }, () -> probe().deadline(settings.bootDeadline()));
    }

    /** {@code vagrant up} only: creates or boots the machine, without waiting for the server. */
    public void upMachine(Consumer<String> progress) {
        if (!machine.managed()) {
            throw new EnvironmentException("This VM is not managed by Vagrant: boot it yourself, then Start.");
        }
        disconnect();
        machine.up(progress);
    }

    @Override
    public void haltMachine() {
        if (machine.managed()) {
            halt();
        }
    }

    /** {@code vagrant halt}. */
    public void halt() {
        disconnect();
        machine.halt();
    }

    /** Forgets the recorded host key of this VM (after it was recreated with new keys). */
    @Override
    public void forgetHostKey() {
        SshTarget target = settings.ssh().orElseGet(machine::recordedSshTarget);
        knownHosts.forget(target.knownHostsName());
    }

    /**
     * Read from what exists: the machine's domain state (libvirt's, without Ruby), then, in one SSH round trip, the
     * service's state, whether it is installed, and the build installed, judged against the build this environment is
     * meant to run.
     */
    @Override
    public EnvironmentStatus status() {
        try {
            if (machine.managed()) {
                String state = machine.state();
                if (state.equals("not_created")) {
                    return new EnvironmentStatus.MachineOff("The VM has not been created: run `vagrant up` in " + machine.dir()
                            + " (needs the box: environments/vagrant/build-box.sh), or press Boot VM.", false);
                }
                if (!state.equals("running")) {
                    return new EnvironmentStatus.MachineOff("The VM is " + VagrantMachine.humanState(state) + ": press Boot VM, or run"
                            + " `vagrant up` in " + machine.dir() + ".", true);
                }
            }
            GuestService.State state = service.stateAndInstalled(subject == null ? GALLERY_BUILD : null);
            String what = subject == null ? "the server" : subject.name();
            if (!state.installed()) {
                return new EnvironmentStatus.Absent("The VM is up but " + what + " is not installed: deploy it.");
            }
            String want = expectedBuild;
            boolean active = state.active().equals("active") || state.active().equals("activating") || state.active().equals("reloading");
            if (subject == null && want != null && !want.equals(state.build())) {
                return new EnvironmentStatus.OtherBuild("The VM " + (active ? "runs" : "holds") + " gallery build "
                        + (state.build().isEmpty() ? "unknown" : ServerArtifact.shorten(state.build())) + ", not this build (" + ServerArtifact.shorten(want)
                        + "): deploy to replace it.", active);
            }
            String installed = subject == null ? (state.build().isEmpty() ? "" : " (build " + ServerArtifact.shorten(state.build()) + ")") : "";
            return switch (state.active()) {
                case "active" -> serving(endpoint(), Duration.ofSeconds(3), "Serving at " + endpoint() + installed + " (" + ssh().target() + ").",
                        "The service is active, not answering at " + endpoint() + " yet.");
                case "activating", "reloading" -> new EnvironmentStatus.Starting("The service is starting.");
                case "failed" -> new EnvironmentStatus.Failed(service.failed(ended()).getMessage());
                default -> new EnvironmentStatus.Deployed("The VM is up; " + what + " is installed" + installed + " and stopped: Start starts it.");
            };
        } catch (EnvironmentException e) {
            return new EnvironmentStatus.Failed(e.getMessage());
        }
    }

    /**
     * Streams {@code top -b -d INTERVAL -p PIDS} over one channel and parses frames as they arrive: the server's
     * CPU % and RSS (summed over the service's processes: a gunicorn master and its workers), the guest's used memory, and, when the hypervisor runs on this host, its CPU and RSS (what
     * the VM really costs). The first frame (CPU since the process started) is dropped.
     */
    @Override
    public SampleStream openSampler(Duration interval) {
        SshConnection connection = ssh();
        List<Long> pids = service.pids();
        if (pids.isEmpty()) {
            throw new EnvironmentException("The server is not running in the VM: start it before sampling.");
        }
        Optional<HostProcesses> hypervisor = settings.hypervisorName().map(HostProcess::find)
                .filter(OptionalLong::isPresent).map(p -> HostProcesses.ofPid(p.getAsLong()));
        AtomicBoolean first = new AtomicBoolean(true);
        SshConnection.Stream[] channel = new SshConnection.Stream[1];
        SampleStream out = new SampleStream(() -> {
            if (channel[0] != null) {
                channel[0].close();
            }
        });
        TopParser parser = new TopParser(pids, frame -> {
            if (first.getAndSet(false)) {
                return;
            }
            Optional<HostProcesses.Reading> host = hypervisor.map(HostProcesses::read).filter(r -> r.processes() > 0);
            out.publish(new ResourceSample(Instant.now(), frame.cpuPercent().orElse(0), frame.rssBytes().orElse(-1),
                    frame.guestUsedBytes().orElse(-1), host.map(HostProcesses.Reading::cpuPercent).orElse(Double.NaN),
                    host.map(HostProcesses.Reading::rssBytes).orElse(-1L), "top"));
        });
        String seconds = String.format(Locale.ROOT, "%.1f", Math.max(0.1, interval.toMillis() / 1000.0));
        String pidList = String.join(",", pids.stream().map(String::valueOf).toList());
        channel[0] = connection.stream("LC_ALL=C top -b -d " + seconds + " -p " + pidList, parser::accept, () -> {
            parser.finish();
            if (!out.isClosed()) {
                out.fail(new EnvironmentException("top in the VM stopped (the server or the SSH connection went away)."));
            }
        });
        return out;
    }

    private synchronized void disconnect() {
        if (ssh != null) {
            ssh.close();
            ssh = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
