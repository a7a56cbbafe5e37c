package org.gallerybench.environments;

import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A scratch folder on this machine that is gone when closed, whatever happened inside: the one place an environment
 * stages files (a reset script, a Docker build context, what is copied into the VM) and cleans up after itself.
 * Deleting is commons-io's {@link PathUtils#deleteDirectory}, not a walk of our own.
 */
public final class Scratch implements AutoCloseable {
    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    /** A new empty folder under the system's temporary folder, its name starting with {@code prefix}. */
    public static Scratch create(String prefix) {
        try {
            return new Scratch(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new EnvironmentException("Cannot make a scratch folder in " + System.getProperty("java.io.tmpdir") + " ("
                    + e.getMessage() + "): check that it is writable and the disk has room.", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code text} to {@code name} (made readable by anyone: a container's user reads it too); returns its path. */
    public Path write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            readableByAll(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a resource next to {@code owner} into {@code name}; returns its path. */
    public Path copyResource(Class<?> owner, String resource, String name) {
        Path file = dir.resolve(name);
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar of " + owner.getName());
            }
            Files.createDirectories(file.getParent());
            Files.copy(in, file);
            readableByAll(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readableByAll(Path file) {
        for (Path p = file; p != null && p.startsWith(dir); p = p.getParent()) {
            p.toFile().setReadable(true, false);
            if (Files.isDirectory(p) || p.toString().endsWith(".sh")) {
                p.toFile().setExecutable(true, false);
            }
        }
    }

    /** Deletes the folder and everything in it; quietly, as a temporary folder is not worth failing a run for. */
    @Override
    public void close() {
        deleteQuietly(dir);
    }

    /** Deletes a folder tree, if it exists; never throws. */
    public static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                PathUtils.deleteDirectory(dir);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder: the system cleans it up in the end
        }
    }
}
