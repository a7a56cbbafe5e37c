package org.gallerybench.environments.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import org.gallerybench.environments.EnvironmentException;

/**
 * The machine under the VM environment, apart from the service in it: a Vagrant VM, read through its libvirt domain
 * state and driven with {@code vagrant up} and {@code vagrant halt}. A VM reached only over SSH has no machine of
 * ours ({@link #none()}): it is always taken as up, and never booted or halted.
 */
final class VagrantMachine {
    private final VagrantCli vagrant;
    private final Optional<String> domain;
    private final Duration bootDeadline;

    private VagrantMachine(VagrantCli vagrant, Optional<String> domain, Duration bootDeadline) {
        this.vagrant = vagrant;
        this.domain = domain;
        this.bootDeadline = bootDeadline;
    }

    static VagrantMachine of(VmSettings settings) {
        return new VagrantMachine(settings.vagrantDir().map(d -> new VagrantCli(d, settings.vagrantEnv())).orElse(null),
                settings.hypervisorName(), settings.bootDeadline());
    }

    static VagrantMachine none() {
        return new VagrantMachine(null, Optional.empty(), Duration.ZERO);
    }

    /** Whether this tool boots and halts the machine. */
    boolean managed() {
        return vagrant != null;
    }

    /** Vagrant's state: running, shutoff, not_created, ...; "running" for a machine that is not ours. */
    String state() {
        return vagrant == null ? "running" : vagrant.state();
    }

    boolean isUp() {
        return state().equals("running");
    }

    Path dir() {
        return vagrant.dir();
    }

    SshTarget sshTarget() {
        requireUp();
        return vagrant.sshTarget();
    }

    /** The SSH details Vagrant has for the machine, whether or not it is up (for forgetting its key). */
    SshTarget recordedSshTarget() {
        return vagrant.sshTarget();
    }

    void requireUp() {
        String state = state();
        switch (state) {
            case "running" -> {
            }
            case "not_created" -> throw new EnvironmentException("The VM has not been created: run `vagrant up` in " + vagrant.dir()
                    + " (about 2 minutes under emulation), or press Boot VM.");
            default -> throw new EnvironmentException("The VM is " + humanState(state) + ": start it with `vagrant up` in "
                    + vagrant.dir() + ", or press Boot VM.");
        }
    }

    /** {@code vagrant up}: creates or boots the machine, without waiting for the server. */
    void up(Consumer<String> progress) {
        if (vagrant == null) {
            throw new EnvironmentException("This VM is not managed by Vagrant: boot it yourself, then Start.");
        }
        if (domain.isPresent() && vagrant.state().equals("not_created")) {
            // A domain of this name that Vagrant here does not know would make `vagrant up` fail with "try again".
            new LibvirtDomains().clearOrphan(domain.get(), progress);
        }
        vagrant.up(bootDeadline, progress);
    }

    /** {@code vagrant halt}. */
    void halt() {
        if (vagrant == null) {
            throw new EnvironmentException("This VM is not managed by Vagrant: halt it yourself.");
        }
        vagrant.halt(Duration.ofMinutes(5));
    }

    static String humanState(String state) {
        return switch (state) {
            case "shutoff", "poweroff" -> "halted";
            case "saved" -> "suspended";
            default -> state.replace('_', ' ');
        };
    }
}
