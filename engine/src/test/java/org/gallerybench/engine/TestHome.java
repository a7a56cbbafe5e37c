package org.gallerybench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.environments.ContainerControl;

/**
 * A Gallery Bench home of a test's or a benchmark's own: its settings (ports of its own, so that a user's
 * environments are never touched) in a folder of its own, which the test passes to the CLI
 * ({@code GalleryBenchCli.run(home.paths(), ...)}: no global property, so tests can run side by side); its containers
 * and volumes are named from that folder, and {@link #close()} removes them.
 */
public final class TestHome implements AutoCloseable {
    private final AppPaths paths;
    private final String[] containerEnvironments;

    private TestHome(AppPaths paths, String[] containerEnvironments) {
        this.paths = paths;
        this.containerEnvironments = containerEnvironments;
    }

    /** This home's folders, for the CLI and the engine. */
    public AppPaths paths() {
        return paths;
    }

    /**
     * A home in {@code home}, with the local process, the container and the gVisor sandbox on the given
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
        return new TestHome(new AppPaths(org.gallerybench.environments.TestServer.projectRoot(), home, home.resolve("config")),
                containerEnvironments);
    }

    /** Removes the named environments' containers and volumes (this home's own). */
    @Override
    public void close() {
        var settings = new SettingsStore(paths.settingsFile()).load().environments();
        for (String id : containerEnvironments) {
            try (var env = new EnvironmentCatalog(paths, settings).create(id)) {
                if (env instanceof ContainerControl container) {
                    container.removeContainer();
                    container.removeVolume();
                }
            }
        }
    }
}
