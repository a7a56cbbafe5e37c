package org.gallerybench.environments.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.gallerybench.environments.EnvironmentException;

/** The {@code vagrant} command, run in the folder that holds the Vagrantfile. */
public final class VagrantCli {
    private final Path dir;
    private final Map<String, String> env;
    private final String executable;

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

    /** The machine's state, e.g. running, shutoff, poweroff, not_created. */
    public String state() {
        String out = run(List.of("status", "--machine-readable"), Duration.ofMinutes(2), line -> { });
        for (String line : out.split("\n")) {
            String[] f = line.split(",", 5);
            if (f.length >= 4 && f[2].equals("state")) {
                return f[3].strip();
            }
        }
        throw new EnvironmentException("Cannot read `vagrant status` in " + dir + ":\n  " + tail(out, 8));
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
        Process p;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().put("VAGRANT_NO_COLOR", "1");
            p = builder.start();
        } catch (IOException e) {
            throw new EnvironmentException("Vagrant is not installed (cannot run `vagrant`): install it (Debian: apt-get install"
                    + " vagrant vagrant-libvirt), or give the VM's SSH host, port, user and key instead.", e);
        }
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                String text;
                byte[] buffer = new byte[8192];
                int n;
                StringBuilder line = new StringBuilder();
                while ((n = p.getInputStream().read(buffer)) > 0) {
                    text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                    for (char c : text.toCharArray()) {
                        if (c == '\n' || c == '\r') {
                            String l = line.toString();
                            line.setLength(0);
                            // Progress bars redraw with \r: keep only finished lines.
                            if (c == '\n' && !l.isBlank() && !l.contains("Progress:")) {
                                synchronized (out) {
                                    out.append(l).append('\n');
                                }
                                progress.accept(l.strip());
                            }
                        } else {
                            line.append(c);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        try {
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
                throw new TimedOut("`vagrant " + String.join(" ", args) + "` did not finish within " + span(deadline)
                        + " in " + dir + ". Last lines:\n  " + tail(out.toString(), 8));
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while running `vagrant " + String.join(" ", args) + "`.");
        }
        String text;
        synchronized (out) {
            text = out.toString();
        }
        if (p.exitValue() != 0) {
            throw new EnvironmentException("`vagrant " + String.join(" ", args) + "` failed in " + dir + " (exit " + p.exitValue()
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
