package org.gallerybench.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gallerybench.dashboard.bench.AppPaths;
import org.gallerybench.dashboard.bench.EnvironmentCatalog;
import org.gallerybench.dashboard.bench.SettingsStore;
import org.gallerybench.environments.ContainerControl;

/**
 * A Gallery Bench home of a test's or a benchmark's own: its settings (ports of its own, so that a user's
 * environments are never touched) in a folder of its own, made current through {@code gallerybench.home}; its
 * containers and volumes are named from that folder, and {@link #close()} removes them.
 */
public final class TestHome implements AutoCloseable {
    private final String[] containerEnvironments;

    private TestHome(String[] containerEnvironments) {
        this.containerEnvironments = containerEnvironments;
    }

    /**
     * Makes {@code home} the current one, with the local process, the container and the gVisor sandbox on the given
     * ports; {@code containerEnvironments} are the ids whose containers and volumes {@link #close()} removes.
     */
    public static TestHome at(Path home, int localPort, int dockerPort, int gvisorPort, String... containerEnvironments) throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/settings.json"), """
                {"environments": {"localPort": %d, "dockerHost": "", "dockerPort": %d, "matchLimits": false, "vmCpus": 2,
                 "vmMemoryMib": 1024, "vagrantDir": "", "sshHost": "", "sshPort": 22, "sshUser": "", "sshKey": "", "vmPort": 5001,
                 "gvisorPort": %d},
                 "profile": "quick", "selected": ["local", "docker"], "exportWidth": 1200, "exportHeight": 600}
                """.formatted(localPort, dockerPort, gvisorPort));
        System.setProperty("gallerybench.home", home.toString());
        return new TestHome(containerEnvironments);
    }

    /** Removes the named environments' containers and volumes (this home's own), and forgets the home. */
    @Override
    public void close() {
        try {
            var paths = AppPaths.detect();
            var settings = new SettingsStore(paths.settingsFile()).load().environments();
            for (String id : containerEnvironments) {
                try (var env = new EnvironmentCatalog(paths, settings).create(id)) {
                    if (env instanceof ContainerControl container) {
                        container.removeContainer();
                        container.removeVolume();
                    }
                }
            }
        } finally {
            System.clearProperty("gallerybench.home");
        }
    }
}
