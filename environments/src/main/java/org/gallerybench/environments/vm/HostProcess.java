package org.gallerybench.environments.vm;

import java.util.OptionalLong;

import org.gallerybench.environments.HostProcesses;

/** Finds the hypervisor process of a VM on this host (qemu-system or VBoxHeadless), by a string in its command line. */
final class HostProcess {
    private HostProcess() {
    }

    static OptionalLong find(String nameInCommandLine) {
        return HostProcesses.pids(argv -> {
            String cmd = String.join(" ", argv);
            return (cmd.contains("qemu-system") || cmd.contains("qemu-kvm") || cmd.contains("VBoxHeadless")) && cmd.contains(nameInCommandLine);
        }).stream().mapToLong(Long::longValue).findFirst();
    }
}
