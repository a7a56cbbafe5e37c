package org.gallerybench.environments;

/**
 * The tests' Vagrant machine in environments/vagrant: libvirt domain gallerybench_test, forwarded port 5091. Every
 * test and benchmark that needs a VM uses it (and so boots it once), and none touches the user's VM ("default",
 * port 5001).
 */
public final class TestVm {
    public static final String MACHINE = "test";
    public static final int PORT = 5091;

    private TestVm() {
    }
}
