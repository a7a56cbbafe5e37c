package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.gallerybench.environments.EnvironmentException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real libvirtd the README's test command starts: a domain of the VM's name that Vagrant here does not
 * know (left by another checkout, or a machine image taken with a VM defined) is cleared before `vagrant up`, unless it
 * is running. A small diskless domain with its own name stands in for the VM, so the real one is never touched.
 */
class LibvirtDomainsTest {
    static final String DOMAIN = "gallerybench_orphantest";
    final LibvirtDomains libvirt = new LibvirtDomains();
    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        libvirt.virsh("destroy", DOMAIN);
        libvirt.virsh("undefine", DOMAIN, "--remove-all-storage");
        libvirt.virsh("vol-delete", "--pool", "default", DOMAIN + ".img");
    }

    /** A virsh that hangs (a stand-in that keeps its output open) is bounded by the timeout, not waited for forever. */
    @Test
    void aHangingVirshIsBoundedByTheTimeout() throws Exception {
        Path hanging = dir.resolve("virsh");
        Files.writeString(hanging, "#!/bin/sh\necho starting\nexec sleep 600\n");
        hanging.toFile().setExecutable(true);
        LibvirtDomains slow = new LibvirtDomains("qemu:///system", hanging.toString(), java.time.Duration.ofSeconds(2));
        long start = System.nanoTime();
        assertThatThrownBy(() -> slow.virsh("domstate", DOMAIN))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("`virsh domstate " + DOMAIN + "` did not answer within 2 s: is libvirtd running?");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void aHaltedLeftoverDomainIsRemovedWithItsDisk() throws Exception {
        define();
        assertThat(libvirt.state(DOMAIN)).contains("shut off");
        List<String> progress = new ArrayList<>();

        libvirt.clearOrphan(DOMAIN, progress::add);

        assertThat(libvirt.state(DOMAIN)).as("the leftover domain is gone").isEmpty();
        assertThat(libvirt.hasVolume(DOMAIN + ".img")).as("its disk too").isFalse();
        assertThat(progress).first().asString().startsWith("Removing the halted VM " + DOMAIN + " left by another copy");
    }

    @Test
    void aLeftoverDiskWithoutADomainIsRemoved() {
        assertThat(libvirt.virsh("vol-create-as", "default", DOMAIN + ".img", "1M", "--format", "qcow2").orElseThrow().ok()).isTrue();
        List<String> progress = new ArrayList<>();

        libvirt.clearOrphan(DOMAIN, progress::add);

        assertThat(libvirt.hasVolume(DOMAIN + ".img")).isFalse();
        assertThat(progress).containsExactly("Removing the leftover disk " + DOMAIN + ".img of a VM that no longer exists");
    }

    @Test
    void aRunningLeftoverDomainIsLeftAloneAndReported() throws Exception {
        define();
        assertThat(libvirt.virsh("start", DOMAIN).orElseThrow().ok()).isTrue();

        assertThatThrownBy(() -> libvirt.clearOrphan(DOMAIN, line -> { })).isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("A VM named " + DOMAIN + " is already running, but it is not this checkout's")
                .hasMessageContaining("virsh -c qemu:///system destroy " + DOMAIN);
        assertThat(libvirt.state(DOMAIN)).as("still running: someone may be using it").contains("running");
    }

    @Test
    void nothingToClearIsQuiet() {
        List<String> progress = new ArrayList<>();
        libvirt.clearOrphan(DOMAIN, progress::add);
        assertThat(progress).isEmpty();
        assertThat(libvirt.state(DOMAIN)).isEmpty();
    }

    /** A diskless domain with a 1 MiB disk volume in the default pool, like a halted Vagrant VM's. */
    private void define() throws Exception {
        assertThat(libvirt.virsh("vol-create-as", "default", DOMAIN + ".img", "1M", "--format", "qcow2").orElseThrow().ok()).isTrue();
        String disk = libvirt.virsh("vol-path", "--pool", "default", DOMAIN + ".img").orElseThrow().out().strip();
        Path xml = dir.resolve("domain.xml");
        Files.writeString(xml, """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>32</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64' machine='pc'>hvm</type></os>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                  </devices>
                </domain>
                """.formatted(DOMAIN, disk));
        LibvirtDomains.Result r = libvirt.virsh("define", xml.toString()).orElseThrow();
        assertThat(r.ok()).as(r.out()).isTrue();
    }
}
