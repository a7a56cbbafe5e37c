package org.gallerybench.environments.vm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.gallerybench.environments.EnvironmentException;
import java.time.Duration;
import org.gallerybench.environments.Command;

/**
 * The libvirt side of the Vagrant VM, through {@code virsh}. The domain's name is fixed per machine (it holds the
 * forwarded port), so a domain of that name that this checkout's Vagrant does not know (left by another copy of the
 * project, a deleted checkout, or a machine image taken with a VM defined) makes {@code vagrant up} fail with a
 * misleading "try again". {@link #clearOrphan} deals with it before Vagrant creates the machine.
 */
public final class LibvirtDomains {
    private final String uri;
    private final String virsh;
    private final Duration timeout;

    public LibvirtDomains() {
        this("qemu:///system", "virsh");
    }

    LibvirtDomains(String uri, String virsh) {
        this(uri, virsh, Duration.ofSeconds(60));
    }

    LibvirtDomains(String uri, String virsh, Duration timeout) {
        this.timeout = timeout;
        this.uri = uri;
        this.virsh = virsh;
    }

    /** The domain's state as virsh says it (running, shut off, paused...), or empty when there is no such domain or no virsh. */
    public Optional<String> state(String domain) {
        Optional<Result> r = virsh("domstate", domain);
        return r.filter(Result::ok).map(x -> x.out().strip());
    }

    /** True when the default storage pool holds the volume. */
    public boolean hasVolume(String volume) {
        return virsh("vol-info", "--pool", "default", volume).map(Result::ok).orElse(false);
    }

    /**
     * Called when Vagrant says this checkout's machine is not created. A halted domain of that name is removed with
     * its storage (it belongs to no Vagrant state here, and only holds a benchmark copy of the server); a running
     * one is left alone and reported, since someone may be using it. A leftover disk volume is removed too.
     */
    public void clearOrphan(String domain, Consumer<String> progress) {
        Optional<String> state = state(domain);
        if (state.isPresent()) {
            if (state.get().equals("running") || state.get().equals("paused")) {
                throw new EnvironmentException("A VM named " + domain + " is already " + state.get() + ", but it is not this checkout's"
                        + " (Vagrant has no machine here). It was made by another copy of Gallery Bench and holds the VM's port. Stop and"
                        + " remove it (`vagrant destroy -f` in that copy, or `virsh -c " + uri + " destroy " + domain + " && virsh -c "
                        + uri + " undefine " + domain + " --remove-all-storage`), then press Boot VM again.");
            }
            progress.accept("Removing the halted VM " + domain + " left by another copy of Gallery Bench (Vagrant here does not know it)");
            Result r = virsh("undefine", domain, "--remove-all-storage").orElseThrow();
            if (!r.ok()) {
                throw new EnvironmentException("Could not remove the leftover VM " + domain + ": " + r.out().strip() + ". Remove it by hand"
                        + " (`virsh -c " + uri + " undefine " + domain + " --remove-all-storage`), then press Boot VM again.");
            }
        }
        String disk = domain + ".img";
        if (hasVolume(disk)) {
            progress.accept("Removing the leftover disk " + disk + " of a VM that no longer exists");
            Result r = virsh("vol-delete", "--pool", "default", disk).orElseThrow();
            if (!r.ok()) {
                throw new EnvironmentException("Could not remove the leftover disk " + disk + ": " + r.out().strip() + ". Remove it by hand"
                        + " (`virsh -c " + uri + " vol-delete --pool default " + disk + "`), then press Boot VM again.");
            }
        }
    }

    record Result(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs virsh; empty when virsh is not installed (a VirtualBox host, say). */
    Optional<Result> virsh(String... args) {
        List<String> command = new ArrayList<>(List.of(virsh, "-q", "-c", uri));
        command.addAll(List.of(args));
        try {
            Command.Result r = Command.of(command).deadline(timeout).run();
            if (r.timedOut()) {
                throw new EnvironmentException("`virsh " + String.join(" ", args) + "` did not answer within " + timeout.toSeconds()
                        + " s: is libvirtd running?");
            }
            return Optional.of(new Result(r.exitCode(), r.output()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while running virsh.");
        }
    }
}
