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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
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
    /** The longest request line (method, target, version): past it, 414. Helidon's default, said here so the bound is ours. */
    static final int MAX_PROLOGUE_BYTES = 4096;
    /** The largest header block of a request: past it, 431 (400 on a kept-alive connection, from Helidon's parser). */
    static final int MAX_HEAD_BYTES = 8192;

    private ConnectionLimits() {
    }

    /** Applies the limits of {@code config} to the server being built. */
    static void apply(WebServerConfig.Builder server, GalleryConfig config, HeaderDeadline deadline) {
        // One HTTP/1 protocol, ours, and the gate before it: with services discovered as well, Helidon would run two
        // HTTP/1 providers side by side.
        server.protocolsDiscoverServices(false)
                .addConnectionSelector(new RequestGate())
                .backlog(BACKLOG)
                .maxTcpConnections(config.maxConnections())
                .concurrencyLimit(FixedLimit.builder()
                        .permits(config.maxConcurrentRequests())
                        .queueLength(config.maxConnections())
                        .queueTimeout(QUEUE_TIMEOUT)
                        .build())
                .idleConnectionTimeout(IDLE_TIMEOUT)
                .idleConnectionPeriod(Duration.ofSeconds(5))
                .addProtocol(Http1Config.builder()
                        .maxPrologueLength(MAX_PROLOGUE_BYTES)
                        .maxHeadersSize(MAX_HEAD_BYTES)
                        .addReceiveListener(deadline)
                        .build())
                .directHandlers(DirectHandlers.builder()
                        .addHandler(DirectHandler.EventType.OTHER, ConnectionLimits::busy)
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, ConnectionLimits::refused)
                        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, ConnectionLimits::refused)
                        .addHandler(DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED, ConnectionLimits::refused)
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, ConnectionLimits::refused)
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
     * Helidon's answer to a request its parser refused before any route saw it (a malformed or over-long request line,
     * a header block past {@link #MAX_HEAD_BYTES}, a body past the upload limit): its status, with words a person can
     * act on, in a short plain body.
     */
    private static DirectHandler.TransportResponse refused(DirectHandler.TransportRequest request, DirectHandler.EventType type,
            Status given, io.helidon.http.ServerResponseHeaders headers, String message) {
        // An "internal error" at this level is a failure outside every route (whose errors ErrorPages answers): the
        // parser's, on bytes that are not HTTP (a kept-alive connection's next request line with a control character,
        // a chunk size that is not hexadecimal, the end of input inside a head). Those are the client's: 400. Helidon
        // logs a stack trace only for a 500, so these leave one debug line.
        Status status = type == DirectHandler.EventType.INTERNAL_ERROR ? Status.BAD_REQUEST_400 : given;
        if (type == DirectHandler.EventType.INTERNAL_ERROR) {
            LOG.fine(() -> "Refused a request HTTP/1 could not parse (" + request.protocolVersion() + " "
                    + request.method() + " " + request.path() + ")");
        }
        String words = switch (status.code()) {
            case 400 -> "This request could not be read as HTTP/1.1: a malformed request line or header, or a header block"
                    + " larger than " + MAX_HEAD_BYTES + " bytes.";
            case 413 -> "The request body is larger than this server takes.";
            case 414 -> "The request line is longer than " + MAX_PROLOGUE_BYTES + " bytes. Shorten the address (its query string too).";
            case 505 -> "This server speaks HTTP/1.1 only.";
            default -> "The server could not handle this request.";
        };
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(false)
                .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .entity((status.code() + " " + status.reasonPhrase() + ". " + words + "\n").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /**
     * Closes a connection whose request headers do not arrive within {@link #HEADER_TIMEOUT} of its first line (a
     * slow-loris client). Helidon's idle timeout covers a connection that never sends a complete first line.
     */
    static final class HeaderDeadline implements Http1ConnectionListener, AutoCloseable {
        /**
         * Connections whose headers are awaited, with their deadlines. Held weakly: a client that sends a request line
         * and leaves ends its connection at once, and Helidon's own references go with it; a strong map would keep
         * each such connection's buffers and thread (about 18 KiB) until its deadline, and 1,500 clients doing so
         * within {@link #HEADER_TIMEOUT} once filled the heap.
         */
        private final Map<ConnectionContext, Long> waiting = Collections.synchronizedMap(new WeakHashMap<>());
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
                List<ConnectionContext> late = new ArrayList<>();
                synchronized (waiting) {
                    waiting.entrySet().removeIf(e -> {
                        boolean past = now - e.getValue() > 0;
                        if (past) {
                            late.add(e.getKey());
                        }
                        return past;
                    });
                }
                for (ConnectionContext ctx : late) {
                    LOG.fine(() -> "Closing " + ctx.remotePeer().address() + ": headers not complete within " + HEADER_TIMEOUT);
                    try {
                        ctx.serverSocket().close();
                    } catch (RuntimeException e) {
                        // already closed
                    }
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            sweeper.interrupt();
        }
    }
}
