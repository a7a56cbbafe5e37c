package org.gallerybench.dashboard.ui;

import java.util.function.Supplier;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.subject.Subject;
import java.nio.file.Path;

/**
 * What the dashboard's view-models are given instead of building it: the settings store, the run history, the
 * environment catalogue and the server build. {@link #of(AppPaths)} wires the real ones; a test can pass others.
 *
 * @param settings     settings.json
 * @param history      opens the run history (H2; opened per use, so that the CLI can use it meanwhile)
 * @param environments makes an environment from the current settings
 * @param artifact     the server build to deploy (hashing it is I/O: call from the io executor)
 * @param projectRoot  the checkout, whose subjects/ folder holds the apps under test that ship
 */
public record DashboardServices(SettingsStore settings, Supplier<RunHistory> history, EnvironmentFactory environments,
                                Supplier<ServerArtifact> artifact, Path projectRoot) {

    /** The environment catalogue, as a function of the settings in force and the app under test (null: the gallery). */
    @FunctionalInterface
    public interface EnvironmentFactory {
        Environment create(String id, EnvironmentSettings settings, Subject subject);
    }

    public static DashboardServices of(AppPaths paths) {
        return new DashboardServices(new SettingsStore(paths.settingsFile()), () -> new RunHistory(paths.history()),
                (id, s, subject) -> new EnvironmentCatalog(paths, s, subject).create(id), () -> ServerArtifact.of(paths.serverJar()),
                paths.projectRoot());
    }
}
