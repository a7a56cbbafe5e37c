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
}
