package org.gallerybench.environments.vm;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.gallerybench.environments.EnvironmentException;
import java.util.ArrayList;

/**
 * The app under test as a systemd service in the guest ({@code gallery.service}, or {@code gb-subject-NAME.service} for
 * an app of the user's own), driven over SSH: systemctl, its state, its journal, its processes. The machine it runs on
 * is {@link VagrantMachine}'s.
 */
final class GuestService {
    static final String UNIT = "gallery.service";

    private final Supplier<SshConnection> ssh;
    private final Duration commandDeadline;
    private final String unit;
    private final String label;

    GuestService(Supplier<SshConnection> ssh, Duration commandDeadline) {
        this(ssh, commandDeadline, UNIT, "the gallery service");
    }

    /** The service {@code unit}, called {@code label} in messages ("the flask-gallery service"). */
    GuestService(Supplier<SshConnection> ssh, Duration commandDeadline, String unit, String label) {
        this.ssh = ssh;
        this.commandDeadline = commandDeadline;
        this.unit = unit;
        this.label = label;
    }

    String unit() {
        return unit;
    }

    String label() {
        return label;
    }

    /** What `journalctl` shows its log: "journalctl -u gallery". */
    String journalName() {
        return "journalctl -u " + unit.replace(".service", "");
    }

    /** {@code sudo systemctl VERB UNIT}, failing with the journal's last lines. */
    void systemctl(String verb) {
        SshConnection.Result r = ssh.get().exec("sudo -n systemctl " + verb + " " + unit, commandDeadline);
        if (!r.ok()) {
            throw failed("`systemctl " + verb + " " + unit.replace(".service", "") + "` failed (exit " + r.exitCode() + ")");
        }
    }

    /** active, activating, inactive, failed, ...; "unknown" when it cannot be asked. */
    String state() {
        try {
            return ssh.get().exec("systemctl is-active " + unit, Duration.ofSeconds(30)).stdout().strip();
        } catch (EnvironmentException e) {
            return "unknown";
        }
    }

    /**
     * The state, whether the unit is installed, and the build installed (the first line of {@code buildFile}; empty when
     * there is no such file, or none is named), in one round trip.
     */
    record State(String active, boolean installed, String build) {
    }

    State stateAndInstalled(String buildFile) {
        SshConnection.Result r = ssh.get().exec("systemctl is-active " + unit + "; systemctl cat " + unit + " >/dev/null 2>&1"
                + " && echo installed || echo missing" + (buildFile == null ? "" : "; echo \"build=$(head -n1 " + buildFile + " 2>/dev/null)\""),
                Duration.ofSeconds(30));
        List<String> lines = r.stdout().lines().toList();
        String build = lines.stream().filter(l -> l.startsWith("build=")).map(l -> l.substring(6).strip()).findFirst().orElse("");
        return new State(lines.isEmpty() ? "unknown" : lines.getFirst().strip(), lines.contains("installed"), build);
    }

    boolean installed() {
        return ssh.get().exec("systemctl cat " + unit + " >/dev/null 2>&1", Duration.ofSeconds(60)).ok();
    }

    /** The service's main pid; 0 when it does not run. */
    long mainPid() {
        String pid = ssh.get().exec("systemctl show -p MainPID --value " + unit, Duration.ofSeconds(30)).stdout().strip();
        return pid.isEmpty() ? 0 : Long.parseLong(pid);
    }

    /**
     * Every process of the service (its control group's), main first: an app whose master forks workers (gunicorn) is
     * all of them. Empty when it does not run.
     */
    List<Long> pids() {
        long main = mainPid();
        if (main <= 0) {
            return List.of();
        }
        String out = ssh.get().exec("cat \"/sys/fs/cgroup$(systemctl show -p ControlGroup --value " + unit + ")/cgroup.procs\" 2>/dev/null",
                Duration.ofSeconds(30)).stdout();
        List<Long> others = out.lines().map(String::strip).filter(l -> l.matches("[0-9]+")).map(Long::parseLong)
                .filter(p -> p != main).sorted().toList();
        List<Long> all = new ArrayList<>(List.of(main));
        all.addAll(others.subList(0, Math.min(others.size(), 19))); // top -p takes at most 20
        return List.copyOf(all);
    }

    List<String> journal(int lines) {
        try {
            return ssh.get().exec("sudo -n journalctl -u " + unit + " -n " + lines + " --no-pager -o cat", Duration.ofSeconds(30))
                    .tail(lines).lines().map(String::strip).toList();
        } catch (EnvironmentException e) {
            return List.of("(journal unavailable: " + e.getMessage() + ")");
        }
    }

    EnvironmentException failed(String what) {
        return new EnvironmentException(what + ". Last lines of `" + journalName() + "`:\n  " + String.join("\n  ", journal(15)));
    }
}
