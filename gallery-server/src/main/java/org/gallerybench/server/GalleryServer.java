package org.gallerybench.server;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** A running gallery: the web server, its store, and how to stop it. */
public final class GalleryServer implements AutoCloseable {
    private final WebServer server;
    private final ImageStore store;
    private final GalleryConfig config;
    private final Thread backfill;
    private final ServerIdentity identity;

    private final ConnectionLimits.HeaderDeadline deadline;

    private GalleryServer(WebServer server, ImageStore store, GalleryConfig config, Thread backfill, ServerIdentity identity,
            ConnectionLimits.HeaderDeadline deadline) {
        this.deadline = deadline;
        this.identity = identity;
        this.server = server;
        this.store = store;
        this.config = config;
        this.backfill = backfill;
    }

    /** Opens the store, starts the server, and returns once it accepts connections. */
    public static GalleryServer start(GalleryConfig config) throws IOException {
        return start(config, ServerIdentity.fromEnvironment(System.getenv()));
    }

    static GalleryServer start(GalleryConfig config, ServerIdentity identity) throws IOException {
        ImageCodec codec = new ImageCodec(ImageCodec.MAX_DECODES);
        ImageStore store = ImageStore.open(config.uploadDir(), codec);
        ConnectionLimits.HeaderDeadline deadline = new ConnectionLimits.HeaderDeadline(ConnectionLimits.HEADER_TIMEOUT);
        var builder = WebServer.builder();
        ConnectionLimits.apply(builder, config, deadline);
        WebServer server = builder
                .host(config.host())
                .port(config.port())
                .shutdownHook(true)
                // Without TCP_NODELAY, a response written as headers then body waits ~40 ms for a delayed ACK.
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                // The per-file limit is enforced while streaming; this bounds a whole multi-file request.
                .maxPayloadSize(config.maxUploadBytes() * GalleryConfig.MAX_FILES_PER_REQUEST + 1024 * 1024)
                .addFeature(observe(config, store))
                .routing(routing -> routing(routing.addFilter(identity), store, config))
                .build()
                .start();
        if (!server.isRunning()) {
            deadline.close();
            throw new IllegalStateException("the web server did not start (see the log above)");
        }
        identity.listening(); // a test-only start delay counts from here
        Thread backfill = Thread.ofVirtual().name("gallery-backfill").start(store::backfill);
        return new GalleryServer(server, store, config, backfill, identity, deadline);
    }

    /** /health always; /metrics only when asked for (GALLERY_METRICS=on), as its classes cost ~5 MiB resident. */
    private static ObserveFeature observe(GalleryConfig config, ImageStore store) {
        var observe = ObserveFeature.builder()
                .endpoint("/")
                .observersDiscoverServices(false)
                .addObserver(HealthObserver.builder()
                        .endpoint("health")
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(new StoreHealthCheck(store))
                        .build());
        if (config.metrics()) {
            observe.addObserver(MetricsObserver.builder().endpoint("metrics").build());
        }
        return observe.build();
    }

    /** The gallery's routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, ImageStore store, GalleryConfig config) {
        if (config.metrics()) {
            routing.addFilter(new RequestMetrics());
        }
        routing.error(GalleryException.class, ErrorPages::gallery)
                .error(DataReader.InsufficientDataAvailableException.class, ErrorPages::clientGone)
                .error(io.helidon.http.HttpException.class, ErrorPages::refused)
                .error(Exception.class, ErrorPages::unexpected)
                .register(new GalleryService(store, config), new ImageFileService(store));
        ErrorPages.notFound(routing, config.metrics());
    }

    public int port() {
        return server.port();
    }

    public URI uri() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** This JVM's instance id: new at every start. */
    public String instance() {
        return identity.instance();
    }

    public String build() {
        return identity.build();
    }

    public ImageStore store() {
        return store;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        server.stop();
        deadline.close();
        store.close();
        try {
            backfill.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
