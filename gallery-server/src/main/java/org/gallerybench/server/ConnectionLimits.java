package org.gallerybench.server;

import io.helidon.common.concurrency.limits.FixedLimit;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What keeps the server up under a surge: every resource a client can hold is bounded, and what is past the bound
 * is refused clearly instead of exhausting the heap.
 *
 * <ul>
 *   <li>Open connections: at most {@code GALLERY_MAX_CONNECTIONS}. Past it the server stops accepting; new
 *       connections wait in the kernel's accept queue ({@link #BACKLOG}) and are served as others close, and past
 *       that queue the kernel drops them (the client's connect times out). Each open connection costs about
 *       {@link #HEAP_BYTES_PER_CONNECTION} of heap, so the limit bounds memory.</li>
 *   <li>Requests in progress: at most {@code GALLERY_MAX_CONCURRENT_REQUESTS}. Past it a request waits up to
 *       {@link #QUEUE_TIMEOUT}, then gets 503 Service Unavailable with Retry-After.</li>
 *   <li>Slow clients: a request's headers must arrive within {@link #HEADER_TIMEOUT} of its first line, and a
 *       connection that sends nothing is closed after {@link #IDLE_TIMEOUT}, so a flood of clients that send a byte
 *       a second cannot hold the connections for ever.</li>
 * </ul>
 */
final class ConnectionLimits {
    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class.getName());
    static final int BACKLOG = 1024;
    static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    static final String RETRY_AFTER_SECONDS = "2";
    /** Measured with 1,000 idle keep-alive connections: Helidon's two 8 KiB socket buffers, the virtual thread's stack, the parser. */
    static final long HEAP_BYTES_PER_CONNECTION = 22 * 1024;

    private ConnectionLimits() {
    }

    /** Applies the limits of {@code config} to the server being built. */
    static void apply(WebServerConfig.Builder server, GalleryConfig config, HeaderDeadline deadline) {
        server.backlog(BACKLOG)
                .maxTcpConnections(config.maxConnections())
                .concurrencyLimit(FixedLimit.builder()
                        .permits(config.maxConcurrentRequests())
                        .queueLength(config.maxConnections())
                        .queueTimeout(QUEUE_TIMEOUT)
                        .build())
                .idleConnectionTimeout(IDLE_TIMEOUT)
                .idleConnectionPeriod(Duration.ofSeconds(5))
                .addProtocol(Http1Config.builder().addReceiveListener(deadline).build())
                .directHandlers(DirectHandlers.builder()
                        .addHandler(DirectHandler.EventType.OTHER, ConnectionLimits::busy)
                        .build());
    }

    /** Helidon's answer when the request queue is full or timed out: 503, with when to come back. */
    private static DirectHandler.TransportResponse busy(DirectHandler.TransportRequest request, DirectHandler.EventType type,
            Status status, io.helidon.http.ServerResponseHeaders headers, String message) {
        DirectHandler.TransportResponse.Builder response = DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(false);
        if (status.code() == Status.SERVICE_UNAVAILABLE_503.code()) {
            response.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .entity(("The gallery is busy: too many requests at once. Try again in " + RETRY_AFTER_SECONDS
                            + " seconds.\n").getBytes(StandardCharsets.UTF_8));
        } else {
            response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .entity((status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return response.build();
    }

    /**
     * Closes a connection whose request headers do not arrive within {@link #HEADER_TIMEOUT} of its first line (a
     * slow-loris client). Helidon's idle timeout covers a connection that never sends a complete first line.
     */
    static final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
        private final Map<ConnectionContext, Long> waiting = new ConcurrentHashMap<>();
        private final long timeoutNanos;
        private final Thread sweeper;
        private volatile boolean closed;

        HeaderDeadline(Duration timeout) {
            this.timeoutNanos = timeout.toNanos();
            this.sweeper = Thread.ofVirtual().name("gallery-header-deadline").start(this::sweep);
        }

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            waiting.put(ctx, System.nanoTime() + timeoutNanos);
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            waiting.remove(ctx);
        }

        /** Connections whose headers are still awaited. */
        int waiting() {
            return waiting.size();
        }

        private void sweep() {
            while (!closed) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                waiting.forEach((ctx, deadline) -> {
                    if (now - deadline > 0 && waiting.remove(ctx, deadline)) {
                        LOG.fine(() -> "Closing " + ctx.remotePeer().address() + ": headers not complete within " + HEADER_TIMEOUT);
                        try {
                            ctx.serverSocket().close();
                        } catch (RuntimeException e) {
                            // already closed
                        }
                    }
                });
            }
        }

        @Override
        public void close() {
            closed = true;
            sweeper.interrupt();
        }
    }
}
