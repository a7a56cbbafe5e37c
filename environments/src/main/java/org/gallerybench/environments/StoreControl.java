package org.gallerybench.environments;

/**
 * An environment whose gallery store the benchmark can set: before an environment is measured, its store is made
 * to hold exactly the run's {@link Dataset}, and afterwards the load's uploads are removed the same way. A user's own
 * files are never deleted: they are moved aside into {@code .kept-by-gallerybench/} in the store, which the gallery
 * does not serve.
 */
public interface StoreControl {

    /** Stops the server, makes its store hold exactly {@code dataset}, and leaves it stopped. Returns a line for people. */
    String resetStore(Dataset dataset);

    /** The reset script, shared by every environment. */
    static String script() {
        try (var in = StoreControl.class.getResourceAsStream("reset-store.sh")) {
            if (in == null) {
                throw new IllegalStateException("reset-store.sh is missing from the environments jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the reset script on this machine with {@code sh}; the output's last line, or a clear error. */
    static String runLocally(java.nio.file.Path store, java.nio.file.Path dataset) {
        try {
            java.nio.file.Path script = java.nio.file.Files.createTempFile("gallerybench-reset-store", ".sh");
            try {
                java.nio.file.Files.writeString(script, script());
                Command.Result r = Command.of("sh", script.toString(), store.toString(), dataset.toString())
                        .deadline(java.time.Duration.ofMinutes(5)).run();
                if (!r.ok()) {
                    throw new EnvironmentException("Setting the gallery store " + store + " to the benchmark's images failed (" + r.how()
                            + "): " + r.tail(5) + ". Check that the folder is writable and the disk has room, then run again.");
                }
                return r.lastLine();
            } finally {
                java.nio.file.Files.deleteIfExists(script);
            }
        } catch (java.io.IOException e) {
            throw new EnvironmentException("Cannot set the gallery store " + store + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while setting the gallery store " + store + ".");
        }
    }
}
