package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when Vagrant or the VM is not there: each a clear message with the fix. */
class VagrantErrorsTest {
    @TempDir
    Path dir;

    @Test
    void vagrantNotInstalled() throws Exception {
        Files.copy(TestServer.projectRoot().resolve("environments/vagrant/Vagrantfile"), dir.resolve("Vagrantfile"));
        VagrantCli missing = new VagrantCli(dir, Map.of(), dir.resolve("no-such-vagrant").toString());
        assertThatThrownBy(missing::state).isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("Vagrant is not installed (cannot run `vagrant`): install it")
                .hasMessageContaining("or give the VM's SSH host, port, user and key instead");
    }

    @Test
    void noVagrantfileInTheFolder() {
        assertThatThrownBy(() -> new VagrantCli(dir, Map.of()).state()).hasMessageStartingWith("No Vagrantfile in " + dir);
    }

    @Test
    void aVmThatWasNeverCreatedSaysHowToCreateIt() throws Exception {
        // A copy of the project's Vagrantfile in a fresh folder: Vagrant knows no machine there.
        Files.copy(TestServer.projectRoot().resolve("environments/vagrant/Vagrantfile"), dir.resolve("Vagrantfile"));
        try (VmEnvironment vm = new VmEnvironment(VmSettings.vagrant(dir, dir.resolve("data"), Optional.empty()))) {
            EnvironmentStatus status = vm.status();
            assertThat(status).isInstanceOf(EnvironmentStatus.MachineOff.class);
            assertThat(status.label()).isEqualTo("no VM yet");
            assertThat(status.actions(true)).containsExactly(EnvironmentStatus.Action.BOOT);
            assertThat(status.message()).startsWith("The VM has not been created: run `vagrant up` in " + dir);
            assertThatThrownBy(vm::restart).hasMessageStartingWith("The VM has not been created");
        }
    }

    @Test
    void aBootThatHangsIsPoweredOffAndTriedOnceMore() throws Exception {
        // A stand-in for vagrant: the first `up` hangs like a guest stuck while booting, the second one boots.
        VagrantCli vagrant = fakeVagrant("""
                echo "$*" >> calls
                if [ "$1" = up ] && [ ! -e hung-once ]; then touch hung-once; echo "Waiting for SSH"; exec sleep 60; fi
                echo "done: $*"
                """);
        List<String> progress = new ArrayList<>();

        vagrant.up(Duration.ofSeconds(3), progress::add);

        assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly("up", "halt --force", "up");
        assertThat(progress).contains("`vagrant up` did not finish within 3 s (the guest hung while booting?): powering the VM off"
                + " and booting it once more").endsWith("done: up");
    }

    @Test
    void aBootThatHangsTwiceGivesUpWithTheLastLines() throws Exception {
        VagrantCli vagrant = fakeVagrant("""
                if [ "$1" = up ]; then echo "default: Warning: Host unreachable. Retrying..."; exec sleep 60; fi
                """);

        assertThatThrownBy(() -> vagrant.up(Duration.ofSeconds(2), line -> { }))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("`vagrant up` did not finish within 2 s in " + dir)
                .hasMessageContaining("Host unreachable");
    }

    /** A shell script standing in for vagrant, run in a folder with a Vagrantfile (which the script does not read). */
    private VagrantCli fakeVagrant(String body) throws Exception {
        Files.writeString(dir.resolve("Vagrantfile"), "# the fake vagrant does not read it\n");
        Path fake = dir.resolve("vagrant");
        Files.writeString(fake, "#!/bin/sh\n" + body);
        fake.toFile().setExecutable(true);
        return new VagrantCli(dir, Map.of(), fake.toString());
    }
}
