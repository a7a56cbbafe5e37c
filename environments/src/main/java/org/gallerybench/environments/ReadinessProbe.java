package org.gallerybench.environments;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until a URL answers HTTP 200, polling often enough to time a start-up: every 10 ms by default (a
 * Testcontainers wait polls once a second, far too coarse here). Reusable on its own:
 * <pre>{@code long readyAt = ReadinessProbe.forHttp(uri).deadline(Duration.ofSeconds(30)).awaitReady();}</pre>
 */
public final class ReadinessProbe {
    private final URI url;
    private final Duration interval;
    private final Duration deadline;
    private final Duration requestTimeout;
    private final BooleanSupplier stillWorthWaiting;

    private ReadinessProbe(URI url, Duration interval, Duration deadline, Duration requestTimeout, BooleanSupplier alive) {
        this.url = url;
        this.interval = interval;
        this.deadline = deadline;
        this.requestTimeout = requestTimeout;
        this.stillWorthWaiting = alive;
    }

    /** Probes {@code base} at path {@code /}, every 10 ms, for up to 60 s. */
    public static ReadinessProbe forHttp(URI base) {
        return new ReadinessProbe(base.resolve("/"), Duration.ofMillis(10), Duration.ofSeconds(60), Duration.ofSeconds(2), () -> true);
    }

    public ReadinessProbe path(String path) {
        return new ReadinessProbe(url.resolve(path), interval, deadline, requestTimeout, stillWorthWaiting);
    }

    public ReadinessProbe interval(Duration every) {
        return new ReadinessProbe(url, every, deadline, requestTimeout, stillWorthWaiting);
    }

    public ReadinessProbe deadline(Duration within) {
        return new ReadinessProbe(url, interval, within, requestTimeout, stillWorthWaiting);
    }

    /** Per-request timeout: a server that accepts but stalls is retried after this. */
    public ReadinessProbe requestTimeout(Duration timeout) {
        return new ReadinessProbe(url, interval, deadline, timeout, stillWorthWaiting);
    }

    /**
     * A check run between attempts; when it turns false (the process died, the container exited) waiting stops
     * at once with a {@link ReadinessException}, instead of running out the deadline.
     */
    public ReadinessProbe whileAlive(BooleanSupplier alive) {
        return new ReadinessProbe(url, interval, deadline, requestTimeout, alive);
    }

    public URI url() {
        return url;
    }

    /**
     * Blocks until the first 200 and returns the {@link System#nanoTime()} at which it arrived.
     *
     * @throws ReadinessException when the deadline passes or the check given to {@link #whileAlive} fails
     */
    public long awaitReady() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        try (client) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
            long start = System.nanoTime();
            long end = start + deadline.toNanos();
            String last = "no answer yet";
            while (true) {
                long attempt = System.nanoTime();
                try {
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    long now = System.nanoTime();
                    if (response.statusCode() == 200) {
                        return now;
                    }
                    last = "HTTP " + response.statusCode();
                } catch (ConnectException e) {
                    last = "connection refused";
                } catch (HttpTimeoutException e) {
                    last = "no answer within " + requestTimeout.toMillis() + " ms";
                } catch (IOException e) {
                    last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReadinessException("Interrupted while waiting for " + url + " to answer 200.");
                }
                if (!stillWorthWaiting.getAsBoolean()) {
                    throw new ReadinessException("The server stopped before " + url + " answered 200 (last: " + last + ").");
                }
                long now = System.nanoTime();
                if (now >= end) {
                    throw new ReadinessException("No HTTP 200 from " + url + " within " + format(deadline) + " (last: " + last
                            + "). Check that the server started, or give it a longer deadline.");
                }
                long sleep = Math.min(interval.toNanos() - (now - attempt), end - now);
                if (sleep > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(sleep));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ReadinessException("Interrupted while waiting for " + url + " to answer 200.");
                    }
                }
            }
        }
    }

    /** Sends one request; true if it answered 200 within the request timeout. */
    public boolean isReady() {
        try {
            ReadinessProbe once = deadline(Duration.ZERO);
            once.awaitReady();
            return true;
        } catch (ReadinessException e) {
            return false;
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The server did not become ready: the message says what was last seen and what to check. */
    public static final class ReadinessException extends EnvironmentException {
        public ReadinessException(String message) {
            super(message);
        }
    }
}
