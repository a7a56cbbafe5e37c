package org.gallerybench.engine.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** settings.json: one record per environment kind, and settings saved in the earlier flat form are not lost. */
class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void settingsSavedInTheFlatFormAreReadIntoEachKindsRecord() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"environments": {"localPort": 5189, "dockerHost": "tcp://10.0.0.5:2375", "dockerPort": 5188, "matchLimits": false,
                 "vmCpus": 4, "vmMemoryMib": 2048, "vagrantDir": "/srv/vagrant", "sshHost": "", "sshPort": 22, "sshUser": "", "sshKey": "",
                 "vmPort": 5091, "dockerNetwork": "host"}, "profile": "standard", "selected": ["vm"], "exportWidth": 1000, "exportHeight": 500}
                """);
        SettingsStore store = new SettingsStore(file);
        SettingsStore.Saved saved = store.load();

        EnvironmentSettings s = saved.environments();
        assertThat(s.local().port()).isEqualTo(5189);
        assertThat(s.docker()).isEqualTo(new Connection.Docker("tcp://10.0.0.5:2375", 5188, false, "", "host"));
        assertThat(s.gvisor()).as("not in the old file: its defaults").isEqualTo(Connection.Gvisor.defaults());
        assertThat(s.vm().vagrantDir()).isEqualTo("/srv/vagrant");
        assertThat(s.vm().port()).isEqualTo(5091);
        assertThat(s.vm().cpus()).isEqualTo(4);
        assertThat(s.vm().memoryMib()).isEqualTo(2048);
        assertThat(saved.profile()).isEqualTo("standard");
        assertThat(saved.selected()).isEqualTo(List.of("vm"));

        // Saved again, it is written in the new form (each kind under its id) and reads back the same.
        store.save(saved);
        String json = Files.readString(file);
        assertThat(json).contains("\"local\"").contains("\"docker\"").contains("\"gvisor\"").contains("\"vm\"").doesNotContain("localPort");
        assertThat(store.load()).isEqualTo(saved);
    }

    @Test
    void eachKindOwnsItsRecordAndItsDefaults() {
        EnvironmentSettings s = EnvironmentSettings.defaults().with(new Connection.Gvisor(5123, "host"));
        for (EnvironmentKind kind : EnvironmentKind.values()) {
            assertThat(s.connection(kind).kind()).isEqualTo(kind);
            assertThat(kind.settingsType()).isInstanceOf(Class.class).isEqualTo(s.connection(kind).getClass());
        }
        assertThat(s.gvisor().port()).isEqualTo(5123);
        assertThat(s.docker()).isEqualTo(Connection.Docker.defaults());
        assertThat(s.withNetwork("docker", "host").docker().network()).isEqualTo("host");
        assertThatThrownBy(() -> s.withNetwork("vm", "host")).hasMessageContaining("only docker and gvisor");
    }

    @Test
    void aDockerEnvironmentOnTheHostNetworkHasOneNameEverywhere() {
        AppPaths paths = new AppPaths(dir, dir.resolve("data"), dir.resolve("config"));
        EnvironmentCatalog catalog = new EnvironmentCatalog(paths, EnvironmentSettings.defaults().withNetwork("docker", "host"));
        assertThat(catalog.displayName("docker")).isEqualTo("Docker container · host network");
        assertThat(catalog.displayName("docker:published")).isEqualTo("Docker container · published port");
        assertThat(catalog.displayName("local")).isEqualTo("Local process");
    }
}
