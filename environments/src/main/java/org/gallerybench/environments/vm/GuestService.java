package org.gallerybench.environments.vm;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.gallerybench.environments.EnvironmentException;

/**
 * The gallery as a systemd service in the guest ({@code gallery.service}), driven over SSH: systemctl, its state, its
 * journal, and its main pid. The machine it runs on is {@link VagrantMachine}'s.
 */
final class GuestService {
    static final String UNIT = "gallery.service";

    private final Supplier<SshConnection> ssh;
    private final Duration commandDeadline;

    GuestService(Supplier<SshConnection> ssh, Duration commandDeadline) {
        this.ssh = ssh;
        this.commandDeadline = commandDeadline;
    }

    /** {@code sudo systemctl VERB gallery.service}, failing with the journal's last lines. */
    void systemctl(String verb) {
        SshConnection.Result r = ssh.get().exec("sudo -n systemctl " + verb + " " + UNIT, commandDeadline);
        if (!r.ok()) {
            throw failed("`systemctl " + verb + " gallery` failed (exit " + r.exitCode() + ")");
        }
    }

    /** active, activating, inactive, failed, ...; "unknown" when it cannot be asked. */
    String state() {
        try {
            return ssh.get().exec("systemctl is-active " + UNIT, Duration.ofSeconds(30)).stdout().strip();
        } catch (EnvironmentException e) {
            return "unknown";
        }
    }

    /** The state and whether the unit is installed, in one round trip. */
    record State(String active, boolean installed) {
    }

    State stateAndInstalled() {
        SshConnection.Result r = ssh.get().exec("systemctl is-active " + UNIT + "; systemctl cat " + UNIT + " >/dev/null 2>&1"
                + " && echo installed || echo missing", Duration.ofSeconds(30));
        List<String> lines = r.stdout().lines().toList();
        return new State(lines.isEmpty() ? "unknown" : lines.getFirst().strip(), lines.contains("installed"));
    }

    boolean installed() {
        return ssh.get().exec("systemctl cat " + UNIT + " >/dev/null 2>&1", Duration.ofSeconds(60)).ok();
    }

    /** The service's main pid; 0 when it does not run. */
    long mainPid() {
        String pid = ssh.get().exec("systemctl show -p MainPID --value " + UNIT, Duration.ofSeconds(30)).stdout().strip();
        return pid.isEmpty() ? 0 : Long.parseLong(pid);
    }

    List<String> journal(int lines) {
        try {
            return ssh.get().exec("sudo -n journalctl -u " + UNIT + " -n " + lines + " --no-pager -o cat", Duration.ofSeconds(30))
                    .tail(lines).lines().map(String::strip).toList();
        } catch (EnvironmentException e) {
            return List.of("(journal unavailable: " + e.getMessage() + ")");
        }
    }

    EnvironmentException failed(String what) {
        return new EnvironmentException(what + ". Last lines of `journalctl -u gallery`:\n  " + String.join("\n  ", journal(15)));
    }
}
