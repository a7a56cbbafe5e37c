package org.gallerybench.environments.vm;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real OpenSSH sshd on loopback, with its own config, host key and port, and key-only auth for this user. */
final class TestSshd implements AutoCloseable {
    final Path dir;
    final int port;
    final Path userKey;
    private Process sshd;

    TestSshd(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = freePort();
        this.userKey = dir.resolve("user_ed25519");
        keygen(userKey);
        Files.copy(dir.resolve("user_ed25519.pub"), dir.resolve("authorized_keys"));
        newHostKey();
        Files.writeString(dir.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s
                PidFile %s
                AuthorizedKeysFile %s
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                UsePAM no
                StrictModes no
                Subsystem sftp internal-sftp
                LogLevel ERROR
                """.formatted(port, dir.resolve("host_ed25519"), dir.resolve("sshd.pid"), dir.resolve("authorized_keys")));
        Files.createDirectories(Path.of("/run/sshd"));
        start();
    }

    String user() {
        return System.getProperty("user.name");
    }

    SshTarget target() {
        return new SshTarget("127.0.0.1", port, user(), userKey);
    }

    /** Replaces the host key and restarts sshd: the machine now has a different identity. */
    void changeHostKey() throws IOException, InterruptedException {
        stop();
        Files.delete(dir.resolve("host_ed25519"));
        Files.delete(dir.resolve("host_ed25519.pub"));
        newHostKey();
        start();
    }

    /** Replaces the host key with one of another type (ECDSA where Ed25519 was) and restarts sshd. */
    void changeHostKeyType() throws IOException, InterruptedException {
        stop();
        Path ecdsa = dir.resolve("host_ecdsa");
        org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f",
                ecdsa.toString()).deadline(java.time.Duration.ofMinutes(1)), "ssh-keygen");
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, Files.readString(config).replace("HostKey " + dir.resolve("host_ed25519"), "HostKey " + ecdsa));
        start();
    }

    Path otherKey() throws IOException, InterruptedException {
        Path other = dir.resolve("other_ed25519");
        if (!Files.exists(other)) {
            keygen(other);
        }
        return other;
    }

    private void newHostKey() throws IOException, InterruptedException {
        keygen(dir.resolve("host_ed25519"));
    }

    private void start() throws IOException, InterruptedException {
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!sshd.isAlive()) {
                    throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("sshd did not listen on " + port);
    }

    private void stop() throws InterruptedException {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void keygen(Path file) throws IOException, InterruptedException {
        org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                file.toString()).deadline(java.time.Duration.ofMinutes(1)), "ssh-keygen");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
