package org.gallerybench.environments.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.gallerybench.environments.Escape;
import org.gallerybench.environments.Scratch;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectException;
import org.gallerybench.environments.subject.SubjectManifests;

/**
 * Installs an app of the user's own in the guest from its manifest's [vm] section: its files, its packages, a launcher
 * and a systemd unit made here, uploaded over SFTP (only what changed) and installed by subject-provision.sh. The app
 * runs as the system user {@value #USER} from /opt/subject/NAME, on the guest's 8080 (forwarded like the gallery's), its
 * store in /var/lib/gb-subject/NAME/uploads.
 */
final class SubjectInstall {
    static final String USER = "gbsubject";
    /** The guest port every app under test listens on: the one forwarded to this host. */
    static final int GUEST_PORT = 8080;

    private SubjectInstall() {
    }

    static String unit(Subject subject) {
        return "gb-subject-" + subject.name() + ".service";
    }

    static String storeDir(Subject subject) {
        return "/var/lib/gb-subject/" + subject.name() + "/uploads";
    }

    /** Uploads what changed and installs it; a failure is one line naming the app, the VM and what to check. */
    static void install(Subject subject, SshConnection ssh, Duration deadline) {
        Subject.Vm vm = subject.vm().orElseThrow();
        String stage = "gallerybench-subject-" + subject.name();
        try (Scratch scratch = Scratch.create("gallerybench-vm-subject")) {
            Map<String, Path> files = new LinkedHashMap<>();
            String folder = subject.store().filter(Subject.Store::inside).map(Subject.Store::folder).orElse("");
            Path store = folder.isEmpty() ? null : subject.dir().resolve(folder).normalize();
            for (String f : vm.files()) {
                Path from = subject.dir().resolve(f).normalize();
                if (Files.isDirectory(from)) {
                    // The images of a store inside the app are data, not the app: the guest's store is its own.
                    SshConnection.filesUnder(from).forEach((rel, p) -> {
                        if (store == null || !p.normalize().startsWith(store)) {
                            files.put("files/" + f + "/" + rel, p);
                        }
                    });
                } else if (store == null || !from.startsWith(store)) {
                    files.put("files/" + f, from);
                }
            }
            files.put("packages", scratch.write("packages", String.join("\n", vm.packages()) + "\n"));
            files.put("store_folder", scratch.write("store_folder", folder + "\n"));
            files.put(unit(subject), scratch.write(unit(subject), unitText(subject)));
            files.put("subject-provision.sh", scratch.copyResource(VmEnvironment.class, "subject-provision.sh", "subject-provision.sh"));
            ssh.sync(files, stage, List.of("files"));
        }
        SshConnection.Result r = ssh.exec("sudo -n bash \"$HOME/" + stage + "/subject-provision.sh\" \"$HOME/" + stage + "\" " + subject.name(),
                deadline);
        if (!r.ok()) {
            String why = r.stderr().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .filter(l -> l.startsWith("E:") || l.startsWith("subject-provision.sh:")).findFirst()
                    .orElse(r.tail(1).strip());
            throw new SubjectException(subject.name() + " (vm): installing it in the VM failed: " + why.replace("subject-provision.sh: ", "")
                    + ". Check packages, files and command under [vm] in " + subject.dir().resolve(SubjectManifests.FILE) + ".");
        }
    }

    /**
     * Its unit: run as {@value #USER} in its folder, its command the unit's ExecStart= (by the one rule of
     * {@link Subject#command}: ${PORT} and ${HOST} replaced, no shell), told where to listen and where its store is;
     * no restart on failure (an app that dies is reported, not hidden); it conflicts with the gallery's unit, so
     * starting one stops the other. Every value goes in through {@link Escape}'s systemd functions: a value stays a
     * value, whatever it holds ({@code %}, {@code $}, quotes).
     */
    static String unitText(Subject subject) {
        Map<String, String> env = new LinkedHashMap<>(subject.listenEnv("0.0.0.0", GUEST_PORT));
        subject.store().filter(s -> !s.env().isEmpty())
                .ifPresent(s -> env.put(s.env(), s.inside() ? appDir(subject) + "/" + s.folder() : storeDir(subject)));
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(subject.vm().orElseThrow().env());
        StringBuilder environment = new StringBuilder();
        env.forEach((k, v) -> environment.append("Environment=").append(Escape.systemdEnvironment(k, v)).append("\n"));
        List<String> command = Subject.command(subject.vm().orElseThrow().command(), "0.0.0.0", GUEST_PORT, appDir(subject));
        // The program is a plain name or an absolute path (the manifest's check allows nothing a prefix such as + or - could
        // be made of); every argument is quoted.
        String exec = command.getFirst() + command.stream().skip(1).map(a -> " " + Escape.systemdArgument(a)).collect(Collectors.joining());
        return """
                [Unit]
                Description=Gallery Bench: %1$s (an app under test)
                After=network.target
                Conflicts=gallery.service

                [Service]
                Type=exec
                User=%2$s
                Group=%2$s
                WorkingDirectory=%4$s
                %3$sExecStart=%5$s
                TimeoutStopSec=10
                """.formatted(subject.name(), USER, environment, appDir(subject), exec);
    }

    /** Where its files are in the guest. */
    static String appDir(Subject subject) {
        return "/opt/subject/" + subject.name();
    }
}
