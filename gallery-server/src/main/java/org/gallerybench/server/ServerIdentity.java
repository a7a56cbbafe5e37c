package org.gallerybench.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who is answering: an instance id, new at every JVM start, and the build it runs. Every answer carries both, as
 * {@code X-Gallery-Instance} and {@code X-Gallery-Build}, so that a tool that started a server can tell it from an
 * old one still answering on the port.
 *
 * <p>{@code GALLERY_TEST_START_DELAY_MS}, for tests only, makes the server answer 503 for that long after it starts
 * listening, so that startup phases can be checked against a known delay.
 *
 * <p>The build is {@code GALLERY_BUILD} when set (the local process), else the first line of the file {@code build}
 * beside the server's jar (the container and the VM install one with the build), else "unknown".
 */
record ServerIdentity(String instance, String build, long delayMillis, AtomicLong servingFromNanos)
        implements Filter {
    static final HeaderName INSTANCE = HeaderNames.create("X-Gallery-Instance");
    static final HeaderName BUILD = HeaderNames.create("X-Gallery-Build");

    static ServerIdentity fromEnvironment(Map<String, String> env) {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String build = env.getOrDefault("GALLERY_BUILD", "").strip();
        if (build.isEmpty()) {
            build = buildBesideJar();
        }
        long delayMillis = 0;
        try {
            delayMillis = Long.parseLong(env.getOrDefault("GALLERY_TEST_START_DELAY_MS", "0").strip());
        } catch (NumberFormatException ignored) {
            // not a test
        }
        return new ServerIdentity(HexFormat.of().formatHex(random), build.isEmpty() ? "unknown" : build, Math.max(0, delayMillis),
                new AtomicLong(delayMillis > 0 ? Long.MAX_VALUE : 0));
    }

    /** The listener has started: with a test-only delay, 503 from now until the delay has passed. */
    void listening() {
        if (delayMillis > 0) {
            servingFromNanos.set(System.nanoTime() + delayMillis * 1_000_000L);
        }
    }

    private static String buildBesideJar() {
        try {
            Path jar = Path.of(ServerIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path file = jar.resolveSibling("build");
            if (Files.isRegularFile(file)) {
                return Files.readAllLines(file).stream().findFirst().orElse("").strip();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // no build file: unknown
        }
        return "";
    }

    /**
     * Adds the headers. Until {@code servingFromNanos} (only with the test-only {@code GALLERY_TEST_START_DELAY_MS}),
     * every request gets 503 with Retry-After: the port is open, the server is not ready. Tests time startup phases
     * against this known delay.
     */
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(INSTANCE, instance);
        res.header(BUILD, build);
        if (delayMillis > 0 && System.nanoTime() < servingFromNanos.get()) {
            res.status(io.helidon.http.Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.RETRY_AFTER, "1");
            res.send("starting");
            return;
        }
        chain.proceed();
    }
}
