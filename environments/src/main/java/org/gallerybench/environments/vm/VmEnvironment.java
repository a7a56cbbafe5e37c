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
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.StartTiming;

/**
 * The gallery in a virtual machine, driven over SSH with JSch: a Vagrant VM (environments/vagrant), or any machine
 * given by host, port, user and key. Two parts: the machine ({@link VagrantMachine}: up, halted, booted) and the
 * service in it ({@link GuestService}: {@code gallery.service} under systemd); its lifecycle is the shared template's
 * ({@link ServerEnvironment}). The guest's port is forwarded to this host (5001 by default). Deploy uploads over SFTP
 * only what changed, then runs the same provision.sh that Vagrant's provisioning runs. Samples come from {@code top}
 * streaming over one channel.
 */
public final class VmEnvironment extends ServerEnvironment implements MachineControl {
    private static final String STAGE = "gallerybench-stage";

    private final VmSettings settings;
    private final ManagedKnownHosts knownHosts;
    private final VagrantMachine machine;
    private final GuestService service;
    private SshConnection ssh;

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
        return "The gallery service is " + service.state() + " in the VM";
    }

    @Override
    protected List<String> logTail(int lines) {
        return service.journal(lines);
    }

    @Override
    protected String logName() {
        return "Last lines of `journalctl -u gallery`";
    }

    @Override
    protected String stuckHint() {
        return "The service is " + service.state() + " in the VM; is port " + settings.endpointPort() + " forwarded to the guest's 8080?";
    }

    /** Liveness is asked once the wait fails, not between polls: each question is an SSH round trip. */
    @Override
    protected ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).deadline(settings.startDeadline()).requestTimeout(Duration.ofSeconds(5))
                .expectBuild(expectedBuild);
    }

    /** Copies the dataset and the script into the guest over SFTP (only what changed) and runs it on the stopped service's store. */
    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("reset-store.sh", script);
        for (String name : dataset.names()) {
            files.put("dataset/" + name, dataset.dir().resolve(name));
        }
        SshConnection connection = ssh();
        connection.sync(files, "gallerybench-dataset", List.of("dataset"));
        SshConnection.Result r = connection.run("sudo -n sh \"$HOME/gallerybench-dataset/reset-store.sh\" /var/lib/gallery/uploads"
                        + " \"$HOME/gallerybench-dataset/dataset\" && sudo -n chown -R gallery:gallery /var/lib/gallery/uploads",
                settings.deployDeadline(), "Setting the VM's gallery to the benchmark's images failed");
        return r.stdout().strip().lines().reduce((a, b) -> b).orElse("store reset");
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
                throw new EnvironmentException("The VM is up, but the gallery server is not installed in it yet: deploy it first"
                        + " (Deploy on the card, or gallerybench env up vm).");
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

    @Override
    public EnvironmentStatus status() {
        try {
            if (machine.managed()) {
                String state = machine.state();
                if (state.equals("not_created")) {
                    return new EnvironmentStatus.Absent("The VM has not been created: run `vagrant up` in " + machine.dir()
                            + " (needs the box: environments/vagrant/build-box.sh), or press Boot VM.");
                }
                if (!state.equals("running")) {
                    return new EnvironmentStatus.Stopped("The VM is " + VagrantMachine.humanState(state) + ": press Boot VM, or run"
                            + " `vagrant up` in " + machine.dir() + ".");
                }
            }
            GuestService.State state = service.stateAndInstalled();
            if (!state.installed()) {
                return new EnvironmentStatus.Absent("The VM is up but the server is not installed: deploy it.");
            }
            return switch (state.active()) {
                case "active" -> serving(endpoint(), Duration.ofSeconds(3), "Serving at " + endpoint() + " (" + ssh().target() + ").",
                        "The service is active, not answering at " + endpoint() + " yet.");
                case "activating", "reloading" -> new EnvironmentStatus.Starting("The service is starting.");
                case "failed" -> new EnvironmentStatus.Failed(service.failed("The gallery service failed in the VM").getMessage());
                default -> new EnvironmentStatus.Stopped("The VM is up; the server is stopped.");
            };
        } catch (EnvironmentException e) {
            return new EnvironmentStatus.Failed(e.getMessage());
        }
    }

    /**
     * Streams {@code top -b -d INTERVAL -p PID} over one channel and parses frames as they arrive: the server's
     * CPU % and RSS, the guest's used memory, and, when the hypervisor runs on this host, its CPU and RSS (what
     * the VM really costs). The first frame (CPU since the process started) is dropped.
     */
    @Override
    public SampleStream openSampler(Duration interval) {
        SshConnection connection = ssh();
        long pid = service.mainPid();
        if (pid <= 0) {
            throw new EnvironmentException("The server is not running in the VM: start it before sampling.");
        }
        Optional<HostProcesses> hypervisor = settings.hypervisorName().map(HostProcess::find)
                .filter(java.util.OptionalLong::isPresent).map(p -> HostProcesses.ofPid(p.getAsLong()));
        AtomicBoolean first = new AtomicBoolean(true);
        SshConnection.Stream[] channel = new SshConnection.Stream[1];
        SampleStream out = new SampleStream(() -> {
            if (channel[0] != null) {
                channel[0].close();
            }
        });
        TopParser parser = new TopParser(pid, frame -> {
            if (first.getAndSet(false)) {
                return;
            }
            Optional<HostProcesses.Reading> host = hypervisor.map(HostProcesses::read).filter(r -> r.processes() > 0);
            out.publish(new ResourceSample(Instant.now(), frame.cpuPercent().orElse(0), frame.rssBytes().orElse(-1),
                    frame.guestUsedBytes().orElse(-1), host.map(HostProcesses.Reading::cpuPercent).orElse(Double.NaN),
                    host.map(HostProcesses.Reading::rssBytes).orElse(-1L), "top"));
        });
        String seconds = String.format(Locale.ROOT, "%.1f", Math.max(0.1, interval.toMillis() / 1000.0));
        channel[0] = connection.stream("LC_ALL=C top -b -d " + seconds + " -p " + pid, parser::accept, () -> {
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
