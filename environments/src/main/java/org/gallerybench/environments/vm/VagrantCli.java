package org.gallerybench.environments.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.Command;

/** The {@code vagrant} command, run in the folder that holds the Vagrantfile. */
public final class VagrantCli {
    private final Path dir;
    private final Map<String, String> env;
    private final String executable;
    private final LibvirtDomains domains = new LibvirtDomains("qemu:///system", "virsh", Duration.ofSeconds(20));

    public VagrantCli(Path dir, Map<String, String> env) {
        this(dir, env, "vagrant");
    }

    /** With another vagrant executable (a path, or a name on PATH). */
    public VagrantCli(Path dir, Map<String, String> env, String executable) {
        this.dir = dir;
        this.env = Map.copyOf(env);
        this.executable = executable;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The machine's state, e.g. running, shutoff, poweroff, not_created. Under libvirt it is read from the domain
     * itself ({@link #libvirtState()}: about 50 ms); otherwise from {@code vagrant status}, which takes 3-5 s of Ruby
     * start-up each time, and a comparison asks before every start and stop.
     */
    public String state() {
        Optional<String> libvirt = libvirtState();
        if (libvirt.isPresent()) {
            return libvirt.get();
        }
        String out = run(List.of("status", "--machine-readable"), Duration.ofMinutes(2), line -> { });
        for (String line : out.split("\n")) {
            String[] f = line.split(",", 5);
            if (f.length >= 4 && f[2].equals("state")) {
                return f[3].strip();
            }
        }
        throw new EnvironmentException("Cannot read `vagrant status` in " + dir + ":\n  " + tail(out, 8));
    }

    /**
     * The state of the machine's libvirt domain, named as vagrant-libvirt names it (running, shutoff, paused, ...):
     * vagrant-libvirt keeps the domain's UUID in .vagrant/machines/NAME/libvirt/id. Empty when this is not a libvirt
     * machine, it was never created here, or virsh cannot say (then {@code vagrant status} answers).
     */
    Optional<String> libvirtState() {
        String machine = env.getOrDefault("GALLERYBENCH_VM_NAME", Optional.ofNullable(System.getenv("GALLERYBENCH_VM_NAME")).orElse("default"));
        Path id = dir.resolve(".vagrant/machines").resolve(machine).resolve("libvirt/id");
        try {
            if (!Files.isRegularFile(id)) {
                return Optional.empty();
            }
            String uuid = Files.readString(id).strip();
            if (uuid.isEmpty()) {
                return Optional.empty();
            }
            return domains.state(uuid).map(s -> switch (s) {
                case "shut off" -> "shutoff";
                case "in shutdown" -> "shutdown";
                default -> s.replace(' ', '_');
            });
        } catch (IOException | EnvironmentException e) {
            return Optional.empty();
        }
    }

    /** Where to SSH, from {@code vagrant ssh-config}. */
    public SshTarget sshTarget() {
        return SshTarget.parseSshConfig(run(List.of("ssh-config"), Duration.ofMinutes(2), line -> { }));
    }

    /**
     * {@code vagrant up}: creates or boots the machine; {@code progress} gets each output line. Under pure emulation a
     * guest now and then hangs while it boots (seen here once in a dozen boots: both vCPUs busy, RCU stalls, its
     * network gone), and Vagrant then waits for SSH until its own timeout. So when {@code vagrant up} does not finish
     * in time, the machine is powered off and booted once more before giving up.
     */
    public void up(Duration deadline, Consumer<String> progress) {
        try {
            run(List.of("up"), deadline, progress);
        } catch (TimedOut first) {
            progress.accept("`vagrant up` did not finish within " + span(deadline) + " (the guest hung while booting?):"
                    + " powering the VM off and booting it once more");
            run(List.of("halt", "--force"), Duration.ofMinutes(3), progress);
            run(List.of("up"), deadline, progress);
        }
    }

    /** A vagrant command that did not finish within its deadline (it was stopped). */
    static final class TimedOut extends EnvironmentException {
        TimedOut(String message) {
            super(message);
        }
    }

    public void halt(Duration deadline) {
        run(List.of("halt"), deadline, line -> { });
    }

    public void destroy(Duration deadline) {
        run(List.of("destroy", "--force"), deadline, line -> { });
    }

    private String run(List<String> args, Duration deadline, Consumer<String> progress) {
        if (!Files.isRegularFile(dir.resolve("Vagrantfile"))) {
            throw new EnvironmentException("No Vagrantfile in " + dir + ": point the VM environment at environments/vagrant.");
        }
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(args);
        StringBuilder out = new StringBuilder();
        Command.Result r;
        try {
            r = Command.of(command).dir(dir).env(env).env("VAGRANT_NO_COLOR", "1").deadline(deadline)
                    .onLine(raw -> {
                        // Progress bars redraw with \r: keep only what a line finally says.
                        String l = raw.substring(raw.lastIndexOf('\r') + 1);
                        if (!l.isBlank() && !l.contains("Progress:")) {
                            synchronized (out) {
                                out.append(l).append('\n');
                            }
                            progress.accept(l.strip());
                        }
                    }).run();
        } catch (IOException e) {
            throw new EnvironmentException("Vagrant is not installed (cannot run `vagrant`): install it (Debian: apt-get install"
                    + " vagrant vagrant-libvirt), or give the VM's SSH host, port, user and key instead.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while running `vagrant " + String.join(" ", args) + "`.");
        }
        String text;
        synchronized (out) {
            text = out.toString();
        }
        if (r.timedOut()) {
            throw new TimedOut("`vagrant " + String.join(" ", args) + "` did not finish within " + span(deadline)
                    + " in " + dir + ". Last lines:\n  " + tail(text, 8));
        }
        if (r.exitCode() != 0) {
            throw new EnvironmentException("`vagrant " + String.join(" ", args) + "` failed in " + dir + " (exit " + r.exitCode()
                    + "). Last lines:\n  " + tail(text, 10));
        }
        return text;
    }

    static String span(Duration d) {
        return d.toSeconds() < 120 ? d.toSeconds() + " s" : d.toMinutes() + " min";
    }

    static String tail(String text, int lines) {
        List<String> l = text.lines().filter(s -> !s.isBlank()).toList();
        return String.join("\n  ", l.subList(Math.max(0, l.size() - lines), l.size()));
    }
}
