package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real sshd on loopback that the test starts with its own config and keys. */
class SshConnectionTest {
    @TempDir
    Path dir;
    TestSshd sshd;
    ManagedKnownHosts knownHosts;

    @BeforeEach
    void start() throws Exception {
        sshd = new TestSshd(Files.createDirectories(dir.resolve("sshd")));
        knownHosts = new ManagedKnownHosts(dir.resolve("known_hosts"));
    }

    @AfterEach
    void stop() throws Exception {
        sshd.close();
    }

    @Test
    void connectsRecordsTheHostKeyAndRunsCommands() throws Exception {
        assertThat(knownHosts.file()).doesNotExist();
        try (SshConnection ssh = SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10))) {
            SshConnection.Result r = ssh.exec("echo hello; echo oops >&2; exit 3", Duration.ofSeconds(10));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("hello\n");
            assertThat(r.stderr()).isEqualTo("oops\n");
            assertThat(ssh.exec("true", Duration.ofSeconds(10)).ok()).isTrue();
        }
        List<String> recorded = Files.readAllLines(knownHosts.file());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.getFirst()).startsWith("[127.0.0.1]:" + sshd.port + " ssh-ed25519 ");
        String hostPub = Files.readString(sshd.dir.resolve("host_ed25519.pub")).split(" ")[1];
        assertThat(recorded.getFirst()).endsWith(hostPub);

        // The same key next time: accepted, nothing added.
        SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)).close();
        assertThat(Files.readAllLines(knownHosts.file())).hasSize(1);
    }

    @Test
    void aChangedHostKeyIsRefusedUntilTheOldOneIsForgotten() throws Exception {
        SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)).close();
        List<String> before = Files.readAllLines(knownHosts.file());

        sshd.changeHostKey();

        assertThatThrownBy(() -> SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("The host key of [127.0.0.1]:" + sshd.port + " has changed")
                .hasMessageContaining(knownHosts.file().toString());
        assertThat(Files.readAllLines(knownHosts.file())).as("the old key is kept, the new one is not trusted").isEqualTo(before);

        knownHosts.forget(sshd.target().knownHostsName());
        SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)).close();
        assertThat(Files.readAllLines(knownHosts.file())).hasSize(1).isNotEqualTo(before);
    }

    @Test
    void aHostKeyOfAnotherTypeIsRefusedLikeAChangedOne() throws Exception {
        SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)).close();
        List<String> before = Files.readAllLines(knownHosts.file());
        assertThat(before.getFirst()).contains(" ssh-ed25519 ");

        sshd.changeHostKeyType(); // the host now shows only an ECDSA key

        assertThatThrownBy(() -> SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10)))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("The host key of [127.0.0.1]:" + sshd.port + " has changed");
        assertThat(Files.readAllLines(knownHosts.file())).as("nothing new is trusted").isEqualTo(before);
    }

    @Test
    void aKeyTheMachineDoesNotAcceptIsAClearError() throws Exception {
        SshTarget wrong = new SshTarget("127.0.0.1", sshd.port, sshd.user(), sshd.otherKey());
        assertThatThrownBy(() -> SshConnection.open(wrong, knownHosts, Duration.ofSeconds(10)))
                .hasMessage("SSH authentication failed for " + wrong + " with the key " + sshd.otherKey()
                        + ": check that this key is in ~" + sshd.user() + "/.ssh/authorized_keys on the machine.");
    }

    @Test
    void aRefusedConnectionIsAClearError() throws Exception {
        int closed = TestSshd.freePort();
        SshTarget nobody = new SshTarget("127.0.0.1", closed, sshd.user(), sshd.userKey);
        assertThatThrownBy(() -> SshConnection.open(nobody, knownHosts, Duration.ofSeconds(10)))
                .hasMessageStartingWith("SSH to 127.0.0.1:" + closed + " was refused: is the VM running");
    }

    @Test
    void streamsOutputLineByLineAsItIsWritten() throws Exception {
        try (SshConnection ssh = SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10))) {
            List<Long> arrivals = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            try (SshConnection.Stream stream = ssh.stream("for i in 1 2 3; do echo line$i; sleep 0.5; done", line -> {
                synchronized (lines) {
                    lines.add(line);
                    arrivals.add(System.nanoTime());
                }
            }, ended::countDown)) {
                assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(stream).isNotNull();
            }
            assertThat(lines).containsExactly("line1", "line2", "line3");
            // Each line arrived when it was written, about 0.5 s apart, not all at the end.
            assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(300));
            assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(1))).isGreaterThan(Duration.ofMillis(300));
        }
    }

    @Test
    void closingAStreamEndsTheRemoteCommand() throws Exception {
        try (SshConnection ssh = SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10))) {
            CountDownLatch first = new CountDownLatch(1);
            SshConnection.Stream stream = ssh.stream("echo $$; while true; do echo tick; sleep 0.2; done", line -> first.countDown(), () -> { });
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            stream.close();
            assertThat(stream.isOpen()).isFalse();
        }
    }

    @Test
    void deploysOverSftpUploadingOnlyWhatChanged() throws Exception {
        ServerArtifact artifact = TestServer.artifact();
        Map<String, Path> files = new LinkedHashMap<>();
        artifact.files().forEach(e -> files.put("app/" + e.relativePath(), e.path()));
        Path remote = dir.resolve("remote-stage");

        try (SshConnection ssh = SshConnection.open(sshd.target(), knownHosts, Duration.ofSeconds(10))) {
            List<String> first = ssh.sync(files, remote.toString(), List.of("app/libs"));
            assertThat(first).hasSize(files.size());
            for (Map.Entry<String, Path> f : files.entrySet()) {
                assertThat(remote.resolve(f.getKey())).hasSameBinaryContentAs(f.getValue());
            }

            assertThat(ssh.sync(files, remote.toString(), List.of("app/libs"))).as("nothing changed").isEmpty();

            Path changed = dir.resolve("jvm.options");
            Files.writeString(changed, "-Xmx48m\n");
            Map<String, Path> next = new LinkedHashMap<>(files);
            next.put("app/jvm.options", changed);
            String dropped = next.keySet().stream().filter(k -> k.startsWith("app/libs/")).findFirst().orElseThrow();
            next.remove(dropped);
            assertThat(ssh.sync(next, remote.toString(), List.of("app/libs"))).containsExactly("app/jvm.options");
            assertThat(remote.resolve("app/jvm.options")).hasContent("-Xmx48m");
            assertThat(remote.resolve(dropped)).as("a library no longer in the build is removed").doesNotExist();
            try (var leftovers = Files.walk(remote)) {
                assertThat(leftovers.filter(p -> p.toString().endsWith(".part"))).isEmpty();
            }
        }
    }

    @Test
    void readsVagrantSshConfig() {
        String captured = """
                Host default
                  HostName 192.168.121.44
                  User vagrant
                  Port 22
                  UserKnownHostsFile /dev/null
                  StrictHostKeyChecking no
                  PasswordAuthentication no
                  IdentityFile /work/main/environments/vagrant/.vagrant/machines/default/libvirt/private_key
                  IdentitiesOnly yes
                  LogLevel FATAL
                """;
        SshTarget t = SshTarget.parseSshConfig(captured);
        assertThat(t).isEqualTo(new SshTarget("192.168.121.44", 22, "vagrant",
                Path.of("/work/main/environments/vagrant/.vagrant/machines/default/libvirt/private_key")));
        assertThat(t.knownHostsName()).isEqualTo("192.168.121.44");
        assertThat(SshTarget.parseSshConfig("Host x\n  HostName h\n  User u\n  Port 2222\n  IdentityFile \"/a b/key\"\n"))
                .isEqualTo(new SshTarget("h", 2222, "u", Path.of("/a b/key")));
        assertThatThrownBy(() -> SshTarget.parseSshConfig("")).hasMessageContaining("Is the VM running?");
    }
}
