package org.gallerybench.environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An environment whose gallery store the benchmark can set: before an environment is measured, its store is made
 * to hold exactly the run's {@link Dataset}, and afterwards the load's uploads are removed the same way. Only files the
 * dataset's record names (by name and SHA-256) are ever removed or replaced; a user's own files are never deleted nor
 * overwritten: they are moved aside into {@code .kept-by-gallerybench/} in the store, which the gallery does not serve,
 * each under a name of its own there.
 */
public interface StoreControl {
    /** The dataset's record, written beside the reset script, which reads it from there. */
    String RECORD = "record.sha256";

    /** Stops the server, makes its store hold exactly {@code dataset}, and leaves it stopped. Returns a line for people. */
    String resetStore(Dataset dataset);

    /** The reset script, shared by every environment. */
    static String script() {
        try (var in = StoreControl.class.getResourceAsStream("reset-store.sh")) {
            if (in == null) {
                throw new IllegalStateException("reset-store.sh is missing from the environments jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the reset script on this machine against {@code store} (a folder here); its last line, or a clear error. */
    static String runHere(Path script, Path store, Dataset dataset, String whose) {
        Command.Result r;
        try {
            Files.createDirectories(store);
            r = Command.of("sh", script.toString(), store.toString(), dataset.dir().toString()).deadline(Duration.ofMinutes(5)).run();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot set " + whose + " " + store + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while setting " + whose + " " + store + ".");
        }
        if (!r.ok()) {
            throw new EnvironmentException("Setting " + whose + " " + store + " to the benchmark's images failed (" + r.how() + "): " + r.tail(5)
                    + ". Check that the folder is writable and the disk has room, then run again.");
        }
        return r.lastLine();
    }
}
