package org.gallerybench.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;

/**
 * The server's configuration, read from environment variables.
 *
 * @param host           address to bind ({@code GALLERY_HOST}, default {@code 0.0.0.0})
 * @param port           port to listen on ({@code GALLERY_PORT}, default 8080; 0 picks a free port)
 * @param uploadDir      where images are stored ({@code GALLERY_UPLOAD_DIR}, default {@code ./data/uploads})
 * @param maxUploadBytes largest accepted file ({@code GALLERY_MAX_UPLOAD_BYTES}, default 10 MiB)
 * @param pageSize       images per gallery page (60)
 * @param maxConnections most connections open at once ({@code GALLERY_MAX_CONNECTIONS}, default 256); past it, new
 *                       connections wait in the kernel's accept queue
 * @param maxConcurrentRequests most requests handled at once ({@code GALLERY_MAX_CONCURRENT_REQUESTS}, default 32);
 *                       past it, requests wait up to 10 s, then get 503 with Retry-After
 * @param metrics        serve Prometheus metrics at /metrics ({@code GALLERY_METRICS=on}, default off): Helidon's
 *                       metrics stack loads ~450 classes and costs ~5 MiB of resident memory, which a gallery that
 *                       nobody scrapes should not pay
 */
public record GalleryConfig(String host, int port, Path uploadDir, long maxUploadBytes, int pageSize, int maxConnections,
                            int maxConcurrentRequests, boolean metrics) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final String DEFAULT_UPLOAD_DIR = "./data/uploads";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
    public static final int PAGE_SIZE = 60;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 32;
    /** Most files one upload request may carry. */
    public static final int MAX_FILES_PER_REQUEST = 50;

    public GalleryConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("GALLERY_PORT must be between 0 and 65535, got " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("GALLERY_MAX_UPLOAD_BYTES must be positive, got " + maxUploadBytes);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, got " + pageSize);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("GALLERY_MAX_CONNECTIONS must be at least 1, got " + maxConnections);
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("GALLERY_MAX_CONCURRENT_REQUESTS must be at least 1, got " + maxConcurrentRequests);
        }
        uploadDir = uploadDir.toAbsolutePath().normalize();
    }

    /** Reads the configuration from the given environment, with the documented defaults. */
    public static GalleryConfig fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("GALLERY_HOST", DEFAULT_HOST).strip();
        int port = (int) number(env, "GALLERY_PORT", DEFAULT_PORT);
        Path dir = Path.of(env.getOrDefault("GALLERY_UPLOAD_DIR", DEFAULT_UPLOAD_DIR).strip());
        long max = number(env, "GALLERY_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES);
        int connections = (int) Math.min(Integer.MAX_VALUE, number(env, "GALLERY_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS));
        int requests = (int) Math.min(Integer.MAX_VALUE,
                number(env, "GALLERY_MAX_CONCURRENT_REQUESTS", DEFAULT_MAX_CONCURRENT_REQUESTS));
        boolean metrics = flag(env, "GALLERY_METRICS", false);
        return new GalleryConfig(host.isEmpty() ? DEFAULT_HOST : host, port, dir, max, PAGE_SIZE, connections, requests, metrics);
    }

    private static boolean flag(Map<String, String> env, String key, boolean fallback) {
        String raw = env.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be on or off, got '" + raw + "'");
        };
    }

    private static long number(Map<String, String> env, String key, long fallback) {
        String raw = env.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + raw + "'");
        }
    }

    public GalleryConfig withPort(int newPort) {
        return new GalleryConfig(host, newPort, uploadDir, maxUploadBytes, pageSize, maxConnections, maxConcurrentRequests, metrics);
    }

    public GalleryConfig withLimits(int connections, int concurrentRequests) {
        return new GalleryConfig(host, port, uploadDir, maxUploadBytes, pageSize, connections, concurrentRequests, metrics);
    }

    public GalleryConfig withMetrics(boolean on) {
        return new GalleryConfig(host, port, uploadDir, maxUploadBytes, pageSize, maxConnections, maxConcurrentRequests, on);
    }

    public GalleryConfig withUploadDir(Path dir) {
        return new GalleryConfig(host, port, dir, maxUploadBytes, pageSize, maxConnections, maxConcurrentRequests, metrics);
    }
}
