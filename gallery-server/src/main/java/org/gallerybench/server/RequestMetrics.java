package org.gallerybench.server;

import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts requests and times them, per route family and status class, as the Prometheus timer
 * {@code gallery_requests_seconds}. Route families, not raw paths, keep the number of series small.
 */
final class RequestMetrics implements Filter {
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics() {
        this.registry = Metrics.globalRegistry();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            String route = route(req.path().path());
            String method = req.prologue().method().text();
            int status = res.status().code();
            String key = method + ' ' + route + ' ' + status / 100;
            timers.computeIfAbsent(key, k -> registry.getOrCreate(Timer.builder("gallery.requests")
                            .description("HTTP requests served by the gallery, by route family and status class")
                            .scope(Meter.Scope.APPLICATION)
                            .tags(Metrics.tags("method", method, "route", route, "status", status / 100 + "xx"))))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    static String route(String path) {
        if (path.equals("/")) {
            return "/";
        }
        int second = path.indexOf('/', 1);
        String first = second < 0 ? path : path.substring(0, second);
        return switch (first) {
            case "/upload", "/images", "/thumbs", "/health", "/metrics" -> first;
            case "/static" -> "/static/uploads";
            case "/api" -> path.startsWith("/api/images/") ? "/api/images/{name}" : "/api/images";
            default -> "other";
        };
    }
}
