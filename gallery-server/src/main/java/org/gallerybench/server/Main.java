package org.gallerybench.server;

import io.helidon.logging.common.LogConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Starts the gallery. Configuration comes from environment variables (see {@link GalleryConfig}); run with the
 * production JVM flags in {@code jvm.options}: {@code java @jvm.options -jar gallery-server.jar}.
 *
 * <p>Two more variables serve the tools that deploy it: {@code GALLERY_PARENT_PID} makes the server exit when
 * that process does (so no server outlives the tool that started it), and {@code GALLERY_AOT_TRAINING=1} runs a
 * short training workload and exits, for {@code -XX:AOTCacheOutput}.
 */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Map<String, String> env = System.getenv();
        if ("1".equals(env.get("GALLERY_AOT_TRAINING")) || (args.length > 0 && args[0].equals("--aot-training"))) {
            AotTraining.run();
            return;
        }
        GalleryConfig config;
        try {
            config = GalleryConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            System.err.println("gallery-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        watchParent(env.get("GALLERY_PARENT_PID"));
        try {
            GalleryServer server = GalleryServer.start(config);
            LOG.info(() -> "Gallery ready at " + server.uri() + " with " + server.store().size()
                    + " images in " + config.uploadDir() + " (instance " + server.instance() + ", build " + server.build() + ")"
                    + "; limits: " + config.maxConnections() + " connections (GALLERY_MAX_CONNECTIONS), "
                    + config.maxConcurrentRequests() + " requests at once (GALLERY_MAX_CONCURRENT_REQUESTS)"
                    + (config.metrics() ? "; metrics at /metrics" : "; metrics off (GALLERY_METRICS=on serves /metrics)"));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("gallery-server: cannot use the upload directory " + config.uploadDir() + ": " + e.getMessage()
                    + ". Set GALLERY_UPLOAD_DIR to a directory this user can write.");
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("gallery-server: cannot start on " + config.host() + ":" + config.port() + ": " + e.getMessage()
                    + ". Is another server using the port? Set GALLERY_PORT to another one.");
            System.exit(2);
        }
    }

    private static void watchParent(String pid) {
        if (pid == null || pid.isBlank()) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(pid.strip())).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> {
                        LOG.info("The process that started this server (" + pid + ") is gone: stopping.");
                        System.exit(0);
                    }),
                    () -> System.exit(0));
        } catch (NumberFormatException e) {
            System.err.println("gallery-server: GALLERY_PARENT_PID must be a process id, got '" + pid + "'");
            System.exit(2);
        }
    }
}
