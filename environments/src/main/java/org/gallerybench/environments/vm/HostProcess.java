package org.gallerybench.environments.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Finds the hypervisor process of a VM on this host (qemu-system or VBoxHeadless), by a string in its command line. */
final class HostProcess {
    private HostProcess() {
    }

    static OptionalLong find(String nameInCommandLine) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if ((cmd.contains("qemu-system") || cmd.contains("qemu-kvm") || cmd.contains("VBoxHeadless"))
                            && cmd.contains(nameInCommandLine)) {
                        return OptionalLong.of(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
