package org.gallerybench.environments.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ProcFs;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.ServerLifecycle;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;

/**
 * The gallery in a virtual machine, driven over SSH with JSch: a Vagrant VM (environments/vagrant), or any machine
 * given by host, port, user and key. The server runs under systemd as {@code gallery.service}; its port is
 * forwarded to this host (5001 by default). Deploy uploads over SFTP only what changed, then runs the same
 * provision.sh that Vagrant's provisioning runs. Samples come from {@code top} streaming over one channel.
 */
public final class VmEnvironment implements Environment, org.gallerybench.environments.MachineControl,
        org.gallerybench.environments.StoreControl {
    private static final String STAGE = "gallerybench-stage";

    private final VmSettings settings;
    private final ManagedKnownHosts knownHosts;
    private final VagrantCli vagrant;
    private SshConnection ssh;

    /** The build deployed by this object: only a server that says so is ready. Null until a deploy. */
    private volatile String expectedBuild;

    public VmEnvironment(VmSettings settings) {
        this.settings = settings;
        this.knownHosts = new ManagedKnownHosts(settings.knownHosts());
        this.vagrant = settings.vagrantDir().map(d -> new VagrantCli(d, settings.vagrantEnv())).orElse(null);
    }

    @Override
    public String id() {
        return "vm";
    }

    @Override
    public String displayName() {
        return vagrant != null ? "Vagrant VM" : "VM over SSH";
    }

    @Override
    public String networkPath() {
        // Vagrant's libvirt provider forwards the host port into the guest with QEMU's user-mode network (slirp),
        // a userland TCP relay like docker-proxy; a VM reached over SSH is whatever network leads to it.
        return vagrant != null ? "QEMU user-mode forward" : "the network to " + settings.endpointHost();
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
            SshTarget target = settings.ssh().orElseGet(() -> {
                requireRunningVagrantVm();
                return vagrant.sshTarget();
            });
            ssh = SshConnection.open(target, knownHosts, Duration.ofSeconds(60));
        }
        return ssh;
    }

    private void requireRunningVagrantVm() {
        String state = vagrant.state();
        switch (state) {
            case "running" -> {
            }
            case "not_created" -> throw new EnvironmentException("The VM has not been created: run `vagrant up` in " + vagrant.dir()
                    + " (about 2 minutes under emulation), or press Boot VM.");
            default -> throw new EnvironmentException("The VM is " + humanState(state) + ": start it with `vagrant up` in "
                    + vagrant.dir() + ", or press Boot VM.");
        }
    }

    /**
     * Installs this build in the guest: uploads what changed (server, runtime, unit, launcher) over SFTP, then
     * runs provision.sh, which installs them, enables the unit and trains the AOT cache for a new build.
     */
    @Override
    public void deploy(ServerArtifact artifact) {
        if (vagrant != null && !vagrant.state().equals("running")) {
            upMachine(line -> { }); // deploying needs the machine up
        }
        SshConnection connection = ssh();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("gallerybench-vm-stage");
            Map<String, Path> files = new LinkedHashMap<>();
            for (ServerArtifact.Entry e : artifact.files()) {
                files.put("app/" + e.relativePath(), e.path());
            }
            Path build = scratch.resolve("build");
            Files.writeString(build, artifact.digest() + "\n");
            files.put("app/build", build);
            for (String resource : List.of("provision.sh", "gallery.service", "gallery-server.sh")) {
                Path copy = scratch.resolve(resource);
                try (InputStream in = VmEnvironment.class.getResourceAsStream(resource)) {
                    Files.copy(in, copy);
                }
                if (resource.endsWith(".sh")) {
                    copy.toFile().setExecutable(true);
                }
                files.put(resource, copy);
            }
            settings.runtimeDir().ifPresent(runtime -> SshConnection.filesUnder(runtime).forEach((rel, p) -> files.put("runtime/" + rel, p)));
            connection.sync(files, STAGE, List.of("app/libs", "runtime"));
            connection.run("sudo -n bash " + STAGE + "/provision.sh \"$HOME/" + STAGE + "\" --no-start", settings.deployDeadline(),
                    "Installing the server in the VM failed");
            expectedBuild = artifact.digest();
            // A service still running another build is never taken for this one: restart it on the new build.
            if (ReadinessProbe.identify(endpoint()).filter(who -> !artifact.digest().equals(who.build())).isPresent()) {
                connection.run("sudo -n systemctl try-restart gallery.service", settings.startDeadline(),
                        "Restarting the gallery service on the new build failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (scratch != null) {
                try (var walk = Files.walk(scratch)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // temp
                }
            }
        }
    }

    /** Boots the VM if it is halted, starts the server if it is stopped, and waits for the first 200. */
    @Override
    public StartTiming start() {
        if (vagrant != null && !vagrant.state().equals("running")) {
            return boot(line -> { });
        }
        StartTiming.Recorder timing = new StartTiming.Recorder("start");
        systemctl("start");
        timing.mark(StartTiming.RUNNING);
        return timing.finish(awaitReadiness(settings.startDeadline()));
    }

    /**
     * {@code systemctl stop}, then {@code systemctl start}, each timed: command issued → stopped → start issued →
     * running (systemctl returned: the unit is Type=exec, so the JVM has been executed) → port open → first 200.
     */
    @Override
    public StartTiming restart() {
        StartTiming.Recorder timing = new StartTiming.Recorder(StartTiming.RESTART);
        systemctl("stop");
        timing.mark(StartTiming.STOPPED).mark(StartTiming.START_ISSUED);
        systemctl("start");
        timing.mark(StartTiming.RUNNING);
        return timing.finish(awaitReadiness(settings.startDeadline()));
    }

    /** {@code systemctl start} of the stopped service, timed: command issued → running → port open → first 200. */
    @Override
    public StartTiming coldStart() {
        if (vagrant != null && !vagrant.state().equals("running")) {
            boot(line -> { }); // the machine first; its boot is not the server's cold start
        }
        systemctl("stop");
        StartTiming.Recorder timing = new StartTiming.Recorder(StartTiming.COLD_START);
        systemctl("start");
        timing.mark(StartTiming.RUNNING);
        return timing.finish(awaitReadiness(settings.startDeadline()));
    }

    /** True when the machine is up (always, for a VM given by SSH details). */
    public boolean isVmRunning() {
        return vagrant == null || vagrant.state().equals("running");
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
        return vagrant != null;
    }

    /** Cold boot: {@code vagrant up} of a halted VM, then its first 200 (the service is enabled, so it starts at boot). */
    public StartTiming boot(Consumer<String> progress) {
        StartTiming.Recorder timing = new StartTiming.Recorder("boot");
        upMachine(progress);
        timing.mark(StartTiming.RETURNED);
        SshConnection.Result installed = ssh().exec("systemctl cat gallery.service >/dev/null 2>&1", Duration.ofSeconds(60));
        if (!installed.ok()) {
            throw new EnvironmentException("The VM is up, but the gallery server is not installed in it yet: deploy it first"
                    + " (Deploy on the card, or gallerybench env up vm).");
        }
        return timing.finish(awaitReady(settings.bootDeadline()));
    }

    /** {@code vagrant up} only: creates or boots the machine, without waiting for the server. */
    public void upMachine(Consumer<String> progress) {
        if (vagrant == null) {
            throw new EnvironmentException("This VM is not managed by Vagrant: boot it yourself, then Start.");
        }
        disconnect();
        if (settings.hypervisorName().isPresent() && vagrant.state().equals("not_created")) {
            // A domain of this name that Vagrant here does not know would make `vagrant up` fail with "try again".
            new LibvirtDomains().clearOrphan(settings.hypervisorName().get(), progress);
        }
        vagrant.up(settings.bootDeadline(), progress);
    }

    /**
     * Copies the dataset into the guest over SFTP (only what changed), stops the service, and sets the guest's store
     * (/var/lib/gallery/uploads) to exactly the dataset with the shared reset script.
     */
    @Override
    public String resetStore(org.gallerybench.environments.Dataset dataset) {
        SshConnection connection = ssh();
        Path script = null;
        try {
            script = Files.createTempFile("gallerybench-reset-store", ".sh");
            Files.writeString(script, org.gallerybench.environments.StoreControl.script());
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("reset-store.sh", script);
            for (String name : dataset.names()) {
                files.put("dataset/" + name, dataset.dir().resolve(name));
            }
            connection.sync(files, "gallerybench-dataset", List.of("dataset"));
            SshConnection.Result r = connection.run("sudo -n systemctl stop gallery.service && sudo -n sh \"$HOME/gallerybench-dataset/reset-store.sh\""
                    + " /var/lib/gallery/uploads \"$HOME/gallerybench-dataset/dataset\" && sudo -n chown -R gallery:gallery /var/lib/gallery/uploads",
                    settings.deployDeadline(), "Setting the VM's gallery to the benchmark's images failed");
            return r.stdout().strip().lines().reduce((a, b) -> b).orElse("store reset");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // temp
                }
            }
        }
    }

    @Override
    public boolean isMachineUp() {
        return isVmRunning();
    }

    @Override
    public void haltMachine() {
        if (vagrant != null) {
            halt();
        }
    }

    /** {@code vagrant halt}. */
    public void halt() {
        if (vagrant == null) {
            throw new EnvironmentException("This VM is not managed by Vagrant: halt it yourself.");
        }
        disconnect();
        vagrant.halt(Duration.ofMinutes(5));
    }

    @Override
    public void stop() {
        if (vagrant != null && !vagrant.state().equals("running")) {
            return;
        }
        systemctl("stop");
    }

    private void systemctl(String verb) {
        SshConnection.Result r = ssh().exec("sudo -n systemctl " + verb + " gallery.service", settings.startDeadline());
        if (!r.ok()) {
            throw serviceFailed("`systemctl " + verb + " gallery` failed (exit " + r.exitCode() + ")");
        }
    }

    private long awaitReady(Duration deadline) {
        return awaitReadiness(deadline).readyNanos();
    }

    private ReadinessProbe.Readiness awaitReadiness(Duration deadline) {
        // Liveness is asked once the wait fails, not between polls: each question is an SSH round trip.
        String[] state = {null};
        java.util.function.Supplier<String> serviceState = () -> state[0] != null ? state[0] : (state[0] = serviceState());
        return ServerLifecycle.awaitFirst200(ReadinessProbe.forHttp(endpoint()).deadline(deadline).requestTimeout(Duration.ofSeconds(5))
                .expectBuild(expectedBuild), new ServerLifecycle.Server() {
                    @Override
                    public boolean alive() {
                        return !serviceState.get().equals("failed") && !serviceState.get().equals("inactive");
                    }

                    @Override
                    public String ended() {
                        return "The gallery service is " + serviceState.get() + " in the VM";
                    }

                    @Override
                    public List<String> logTail(int lines) {
                        return journal(lines);
                    }

                    @Override
                    public String logName() {
                        return "Last lines of `journalctl -u gallery`";
                    }

                    @Override
                    public String stuckHint() {
                        return "The service is " + serviceState.get() + " in the VM; is port " + settings.endpointPort()
                                + " forwarded to the guest's 8080?";
                    }
                });
    }

    private List<String> journal(int lines) {
        try {
            return ssh().exec("sudo -n journalctl -u gallery.service -n " + lines + " --no-pager -o cat", Duration.ofSeconds(30))
                    .tail(lines).lines().map(String::strip).toList();
        } catch (EnvironmentException e) {
            return List.of("(journal unavailable: " + e.getMessage() + ")");
        }
    }

    private EnvironmentException serviceFailed(String what) {
        return new EnvironmentException(what + ". Last lines of `journalctl -u gallery`:\n  " + String.join("\n  ", journal(15)));
    }

    private String serviceState() {
        try {
            return ssh().exec("systemctl is-active gallery.service", Duration.ofSeconds(30)).stdout().strip();
        } catch (EnvironmentException e) {
            return "unknown";
        }
    }

    @Override
    public EnvironmentStatus status() {
        try {
            if (vagrant != null) {
                String state = vagrant.state();
                if (state.equals("not_created")) {
                    return new EnvironmentStatus.Absent("The VM has not been created: run `vagrant up` in " + vagrant.dir()
                            + " (needs the box: environments/vagrant/build-box.sh), or press Boot VM.");
                }
                if (!state.equals("running")) {
                    return new EnvironmentStatus.Stopped("The VM is " + humanState(state) + ": press Boot VM, or run `vagrant up` in "
                            + vagrant.dir() + ".");
                }
            }
            SshConnection.Result active = ssh().exec("systemctl is-active gallery.service; systemctl cat gallery.service >/dev/null 2>&1"
                    + " && echo installed || echo missing", Duration.ofSeconds(30));
            List<String> lines = active.stdout().lines().toList();
            String state = lines.isEmpty() ? "unknown" : lines.getFirst().strip();
            boolean installed = lines.contains("installed");
            if (!installed) {
                return new EnvironmentStatus.Absent("The VM is up but the server is not installed: deploy it.");
            }
            return switch (state) {
                case "active" -> ServerLifecycle.serving(endpoint(), Duration.ofSeconds(3), "Serving at " + endpoint() + " (" + ssh().target() + ").",
                        "The service is active, not answering at " + endpoint() + " yet.");
                case "activating", "reloading" -> new EnvironmentStatus.Starting("The service is starting.");
                case "failed" -> new EnvironmentStatus.Failed(serviceFailed("The gallery service failed in the VM").getMessage());
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
        String pidText = connection.exec("systemctl show -p MainPID --value gallery.service", Duration.ofSeconds(30)).stdout().strip();
        long pid = pidText.isEmpty() ? 0 : Long.parseLong(pidText);
        if (pid <= 0) {
            throw new EnvironmentException("The server is not running in the VM: start it before sampling.");
        }
        OptionalLong hypervisor = settings.hypervisorName().map(HostProcess::find).orElse(OptionalLong.empty());
        AtomicLong hostCpu = new AtomicLong(hypervisor.isPresent() ? ProcFs.cpuTimeNanos(hypervisor.getAsLong()).orElse(-1) : -1);
        AtomicLong hostWall = new AtomicLong(System.nanoTime());
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
            double hostPercent = Double.NaN;
            long hostRss = -1;
            if (hypervisor.isPresent()) {
                long now = System.nanoTime();
                OptionalLong cpu = ProcFs.cpuTimeNanos(hypervisor.getAsLong());
                OptionalLong rss = ProcFs.rssBytes(hypervisor.getAsLong());
                if (cpu.isPresent() && rss.isPresent() && hostCpu.get() >= 0) {
                    hostPercent = ProcFs.cpuPercent(hostCpu.get(), cpu.getAsLong(), now - hostWall.get());
                    hostRss = rss.getAsLong();
                    hostCpu.set(cpu.getAsLong());
                    hostWall.set(now);
                }
            }
            out.publish(new ResourceSample(Instant.now(), frame.cpuPercent().orElse(0), frame.rssBytes().orElse(-1),
                    frame.guestUsedBytes().orElse(-1), hostPercent, hostRss, "top"));
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

    /** Forgets the recorded host key of this VM (after it was recreated with new keys). */
    @Override
    public void forgetHostKey() {
        SshTarget target = settings.ssh().orElseGet(vagrant::sshTarget);
        knownHosts.forget(target.knownHostsName());
    }

    private static String humanState(String state) {
        return switch (state) {
            case "shutoff", "poweroff" -> "halted";
            case "saved" -> "suspended";
            default -> state.replace('_', ' ');
        };
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
