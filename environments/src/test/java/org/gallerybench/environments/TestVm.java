package org.gallerybench.environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The tests' Vagrant machine in environments/vagrant: libvirt domain gallerybench_test, forwarded port 5091. Every
 * test and benchmark that needs a VM uses it, and none touches the user's VM ("default", port 5001).
 *
 * <p>It is booted once per test run: ./run-tests starts {@code scripts/test-vm up} in the background while Maven
 * builds and runs the first tests (its log in target/test-vm/boot.log, its exit code in boot.exit when it is done),
 * and halts it once at the end. A test that needs the VM calls {@link #up()}, which waits for that boot; run on its
 * own (no boot under way), the test's first deploy boots the machine itself. A test that halts it restores it, or
 * is the last to use it.
 */
public final class TestVm {
    public static final String MACHINE = "test";
    public static final int PORT = 5091;
    /** The first boot creates the machine from the box and trains the AOT cache in the guest: minutes under emulation. */
    private static final Duration BOOT_DEADLINE = Duration.ofMinutes(15);

    private TestVm() {
    }

    /** Waits for the boot that ./run-tests started, if one is under way; fails with its log when it failed. */
    public static synchronized void up() {
        Path dir = TestServer.projectRoot().resolve("target/test-vm");
        Path log = dir.resolve("boot.log");
        Path exit = dir.resolve("boot.exit");
        if (!Files.exists(log)) {
            return;
        }
        long deadline = System.nanoTime() + BOOT_DEADLINE.toNanos();
        try {
            while (!Files.exists(exit) || Files.readString(exit).isBlank()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The tests' VM did not finish booting within " + BOOT_DEADLINE.toMinutes() + " minutes. "
                            + tail(log));
                }
                Thread.sleep(500);
            }
            String code = Files.readString(exit).strip();
            if (!code.equals("0")) {
                throw new AssertionError("Booting the tests' VM (scripts/test-vm up) failed with exit " + code + ". " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the tests' VM to boot (its log: " + log + ").", e);
        }
    }

    /** The jlink'd runtime the container and the VM share (built and cached by environments/runtime/build-runtime.sh). */
    public static Path runtime() {
        String out = Child.ok(Command.of(TestServer.projectRoot().resolve("environments/runtime/build-runtime.sh").toString())
                .deadline(Duration.ofMinutes(5)), "build-runtime");
        return Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return "Last lines of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
