package org.gallerybench.engine.setup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import org.gallerybench.environments.FileLocks;
import java.io.UncheckedIOException;
import java.util.List;

/** Keeps the environment settings and the dashboard's choices in settings.json, between starts. */
public final class SettingsStore {
    private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Everything remembered: environment settings and the UI's last choices. {@code selected} is null until the
     * user has chosen: the dashboard then ticks every environment that can run here. {@code subject} is the app under
     * test last chosen, by name or folder (null: the gallery).
     */
    public record Saved(EnvironmentSettings environments, String profile, List<String> selected, int exportWidth, int exportHeight,
                        String subject) {
        public Saved(EnvironmentSettings environments, String profile, List<String> selected, int exportWidth, int exportHeight) {
            this(environments, profile, selected, exportWidth, exportHeight, null);
        }

        public static Saved defaults() {
            return new Saved(EnvironmentSettings.defaults(), "quick", null, 1200, 600);
        }
    }

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    /** The saved settings, or the defaults if there are none or the file cannot be read (it is then left as it is). */
    public Saved load() {
        if (!Files.isRegularFile(file)) {
            return Saved.defaults();
        }
        try {
            Saved s = JSON.readValue(file.toFile(), Saved.class);
            return s.environments() == null ? Saved.defaults() : s;
        } catch (IOException e) {
            LOG.warning("Ignoring unreadable settings in " + file + " (" + e.getMessage() + "); using defaults.");
            return Saved.defaults();
        }
    }

    /**
     * Writes atomically, so that a crash never leaves half a settings file, and two processes saving at once (the
     * dashboard and the CLI) each write a file of their own before the rename: the last one wins, whole.
     */
    public void save(Saved settings) {
        try {
            FileLocks.writeAtomically(file, JSON.writeValueAsBytes(settings));
        } catch (IOException | UncheckedIOException e) {
            LOG.warning("Cannot save settings to " + file + ": " + e.getMessage());
        }
    }
}
