package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.StartupPhases;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.TestVm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real VM: Vagrant with the libvirt provider on QEMU (no usable KVM here, so pure emulation, 20-50x
 * slower than hardware), from the box that build-box.sh made. The README's test command builds the box, starts
 * libvirtd and boots the tests' VM once for the whole run ({@link TestVm#up()}); this test deploys, restarts, uploads
 * and samples. It leaves the VM as it found it: halted only if it booted it itself (run on its own). The halted VM's
 * words are checked by the last test to use the VM (GallerybenchScriptE2EIT), so that no test pays for a second boot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VagrantVmTest {
    @TempDir
    static Path data;
    static VmEnvironment vm;
    static boolean wasUp;

    @BeforeAll
    static void create() {
        TestVm.up();
        Path vagrantDir = TestServer.projectRoot().resolve("environments/vagrant");
        // A machine and a port of the tests' own: the user's VM (default, 5001) is never touched.
        vm = new VmEnvironment(VmSettings.vagrant(vagrantDir, data, Optional.of(TestVm.runtime())).withMachine(TestVm.MACHINE, TestVm.PORT));
        wasUp = vm.isVmRunning();
    }

    @AfterAll
    static void leaveItAsFound() {
        if (vm != null) {
            try {
                if (!wasUp && vm.isVmRunning()) {
                    vm.halt();
                }
            } finally {
                vm.close();
            }
        }
    }

    @Test
    @Order(1)
    void bringsTheVmUpAndDeploysTheServer() {
        // Deploy brings the VM up first if it is not (vagrant up: about a minute under emulation; longer when it is created).
        vm.deploy(TestServer.artifact());
        assertThat(vm.isVmRunning()).isTrue();
        StartTiming started = vm.start();
        assertThat(started.total()).isPositive();
        assertThat(vm.status()).isInstanceOf(EnvironmentStatus.Ready.class);
        assertThat(vm.knownHosts().file()).as("the VM's host key was recorded").exists();
    }

    @Test
    @Order(2)
    void restartIsTimedToTheFirst200() {
        StartTiming restart = vm.restart();
        assertThat(restart.kind()).isEqualTo("restart");
        assertThat(restart.marks()).extracting(StartTiming.Mark::name).containsExactly(StartTiming.ISSUED, StartTiming.STOPPED,
                StartTiming.START_ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
        assertThat(restart.total()).isLessThan(Duration.ofMinutes(3));
    }

    /**
     * Against the server told to answer 503 for a known 3 s after it starts listening (a systemd drop-in with the
     * test-only setting), "port open → first HTTP 200" is 3 s: within 400 ms here, not the 30 ms of the local and
     * container tests, because under emulation (TCG) each of the probe's requests takes tens of milliseconds and the
     * guest's JVM stalls for a hundred or more while it compiles (seen: 1,629 ms for a 1,500 ms delay).
     */
    @Test
    @Order(2)
    void coldStartPhasesMatchAKnownStartDelay() {
        var ssh = vm.ssh();
        String dropIn = "/etc/systemd/system/gallery.service.d";
        ssh.run("sudo -n mkdir -p " + dropIn + " && printf '[Service]\\nEnvironment=GALLERY_TEST_START_DELAY_MS=3000\\n' | sudo -n tee "
                + dropIn + "/test-delay.conf >/dev/null && sudo -n systemctl daemon-reload", Duration.ofMinutes(1), "writing the drop-in failed");
        try {
            StartTiming cold = vm.coldStart();
            assertThat(cold.marks()).extracting(StartTiming.Mark::name)
                    .containsExactly(StartTiming.ISSUED, StartTiming.RUNNING, StartTiming.PORT_OPEN, StartTiming.FIRST_200);
            // With KVM the check is as tight as local and docker's; under emulation (TCG, 20-50x slower) a fresh JVM's
            // first page alone takes a few hundred ms, so it allows 400 ms either way.
            boolean kvm = java.nio.file.Files.exists(Path.of("/dev/kvm")) && !java.nio.file.Files.exists(Path.of("/sys/module/kvm_pvm"));
            long within = kvm ? StartupPhases.WITHIN_MILLIS : 400;
            StartupPhases.assertDelay(cold, 3000, within, within);
        } finally {
            ssh.run("sudo -n rm -f " + dropIn + "/test-delay.conf && sudo -n systemctl daemon-reload && sudo -n systemctl restart gallery.service",
                    Duration.ofMinutes(2), "removing the drop-in failed");
        }
    }

    @Test
    @Order(3)
    void anImageUploadedThroughTheForwardedPortCanBeReadBack() {
        byte[] png = TestHttp.png(200, 150, 0x2255aa);
        HttpResponse<String> upload = TestHttp.upload(vm.endpoint(), "from-the-host.png", png);
        assertThat(upload.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> back = TestHttp.get(vm.endpoint(), "/images/from-the-host.png");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(png);
        assertThat(new String(TestHttp.get(vm.endpoint(), "/").body())).contains("from-the-host.png");
    }

    @Test
    @Order(4)
    void samplesTopForSeveralSeconds() throws Exception {
        List<ResourceSample> samples = new ArrayList<>();
        try (SampleStream top = vm.openSampler(Duration.ofSeconds(1))) {
            for (int i = 0; i < 4; i++) {
                TestHttp.get(vm.endpoint(), "/");
                samples.add(top.poll(Duration.ofSeconds(30)).orElseThrow());
            }
        }
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.source()).isEqualTo("top");
            assertThat(s.appMemoryBytes()).as("the server's RSS").isBetween(20L << 20, 1L << 30);
            assertThat(s.environmentMemoryBytes()).as("the guest's used memory").isGreaterThan(s.appMemoryBytes());
            assertThat(s.hostMemoryBytes()).as("qemu's RSS on the host").isGreaterThan(s.environmentMemoryBytes() / 2);
            assertThat(s.hostCpuPercent()).isNotNaN();
        });
    }

    /**
     * A manifest's values in a real unit file, read by the guest's real systemd: a subject whose command carries every
     * hostile value of {@link org.gallerybench.environments.EscapeTest#HOSTILE} (a quote, $(id), a backtick, %, $HOME...)
     * and a variable holding them too; started, the program prints exactly those words and that value (the one rule:
     * ${PORT} and ${HOST} replaced, nothing else expanded), so no value became a setting, a specifier or a variable.
     */
    @Test
    @Order(5)
    void aHostileManifestsUnitGivesTheProgramExactlyItsWords() throws Exception {
        StringBuilder words = new StringBuilder("\"/bin/sh\", \"-c\", \"for a; do printf '[%s]\\\\n' \\\"$a\\\"; done; printf 'MODE[%s]\\\\n' \\\"$MODE\\\"\", \"sh\"");
        String mode = String.join(" ", org.gallerybench.environments.EscapeTest.HOSTILE);
        for (String value : org.gallerybench.environments.EscapeTest.HOSTILE) {
            words.append(", \"").append(toml(value)).append('"');
        }
        Path dir = java.nio.file.Files.createTempDirectory(data, "escape-");
        java.nio.file.Files.writeString(dir.resolve(org.gallerybench.environments.subject.SubjectManifests.FILE), """
                name = "escape-test"
                [listen]
                port_env = "PORT"
                [vm]
                command = [%s]
                env = { MODE = "%s" }
                [requests.page]
                path = "/"
                """.formatted(words, toml(mode)));
        var subject = org.gallerybench.environments.subject.SubjectManifests.read(dir);
        String unit = SubjectInstall.unitText(subject) + "StandardOutput=file:/tmp/gb-escape-test.out\n";
        Path local = dir.resolve("gb-escape-test.service");
        java.nio.file.Files.writeString(local, unit);
        var ssh = vm.ssh();
        ssh.sync(java.util.Map.of("gb-escape-test.service", local), "gallerybench-escape-test", List.of());
        try {
            ssh.run("getent passwd gbsubject >/dev/null || sudo -n useradd --system --user-group gbsubject; sudo -n mkdir -p /opt/subject/escape-test"
                    + " && sudo -n rm -f /tmp/gb-escape-test.out && sudo -n install -m 644 \"$HOME/gallerybench-escape-test/gb-escape-test.service\""
                    + " /etc/systemd/system/ && sudo -n systemctl daemon-reload && sudo -n systemctl start gb-escape-test.service"
                    + " && for i in $(seq 1 100); do systemctl is-active -q gb-escape-test.service || break; sleep 0.2; done",
                    Duration.ofMinutes(2), "starting the test's unit failed");
            String out = ssh.run("sudo -n cat /tmp/gb-escape-test.out", Duration.ofSeconds(30), "reading its output failed").stdout();
            List<String> expected = new ArrayList<>(org.gallerybench.environments.EscapeTest.HOSTILE.stream()
                    .map(v -> "[" + v.replace("${PORT}", "8080") + "]").toList());
            expected.add("MODE[" + mode + "]");
            assertThat(out.lines().toList()).as(unit).isEqualTo(expected);
        } finally {
            ssh.exec("sudo -n systemctl stop gb-escape-test.service; sudo -n rm -rf /etc/systemd/system/gb-escape-test.service /tmp/gb-escape-test.out"
                    + " /opt/subject/escape-test \"$HOME/gallerybench-escape-test\"; sudo -n systemctl daemon-reload", Duration.ofMinutes(1));
        }
    }

    /** A value inside a TOML basic string. */
    private static String toml(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
