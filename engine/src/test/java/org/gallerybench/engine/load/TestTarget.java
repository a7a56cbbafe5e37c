package org.gallerybench.engine.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small real HTTP server whose behaviour the accuracy tests control exactly: a fixed delay per request, one stall
 * window, a fixed status. It also counts requests by method and path, and lists one image at /api/images.
 */
final class TestTarget implements AutoCloseable {
    private final HttpServer server;
    volatile long delayNanos;
    volatile long stallFromNanos = Long.MAX_VALUE;
    volatile long stallUntilNanos = Long.MAX_VALUE;
    volatile int status = 200;
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    TestTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Every request that arrives between now + {@code afterMillis} and that + {@code forMillis} waits for the stall to end. */
    void stallOnce(long afterMillis, long forMillis) {
        long from = System.nanoTime() + afterMillis * 1_000_000;
        stallUntilNanos = from + forMillis * 1_000_000;
        stallFromNanos = from;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        counts.computeIfAbsent(key.startsWith("GET /images/") ? "GET /images" : key, k -> new LongAdder()).increment();
        exchange.getRequestBody().readAllBytes();
        try {
            if (arrived >= stallFromNanos && arrived < stallUntilNanos) {
                sleepUntil(stallUntilNanos);
            }
            if (delayNanos > 0) {
                sleepUntil(arrived + delayNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = exchange.getRequestURI().getPath().equals("/api/images")
                ? "{\"images\":[{\"name\":\"a.png\",\"url\":\"/images/a.png\"}]}".getBytes(StandardCharsets.UTF_8)
                : "ok".getBytes(StandardCharsets.UTF_8);
        int code = exchange.getRequestURI().getPath().equals("/api/images") ? 200 : status;
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(java.time.Duration.ofNanos(left));
        }
    }

    long count(String key) {
        LongAdder a = counts.get(key);
        return a == null ? 0 : a.sum();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
