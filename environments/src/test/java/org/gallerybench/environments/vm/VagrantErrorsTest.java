package org.gallerybench.environments.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
            assertThat(status).isInstanceOf(EnvironmentStatus.Absent.class);
            assertThat(status.message()).startsWith("The VM has not been created: run `vagrant up` in " + dir);
            assertThatThrownBy(vm::restart).hasMessageStartingWith("The VM has not been created");
        }
    }
}
