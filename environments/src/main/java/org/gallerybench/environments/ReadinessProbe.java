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
import java.util.Optional;

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
    private final String expectedBuild;
    private final String oldInstance;

    private ReadinessProbe(URI url, Duration interval, Duration deadline, Duration requestTimeout, BooleanSupplier alive,
                           String expectedBuild, String oldInstance) {
        this.url = url;
        this.interval = interval;
        this.deadline = deadline;
        this.requestTimeout = requestTimeout;
        this.stillWorthWaiting = alive;
        this.expectedBuild = expectedBuild;
        this.oldInstance = oldInstance;
    }

    /** The headers by which a gallery server says who it is (see the server's ServerIdentity). */
    public static final String INSTANCE_HEADER = "X-Gallery-Instance";
    public static final String BUILD_HEADER = "X-Gallery-Build";

    /** Who answered: the server's instance id (new at every JVM start) and its build; null when it did not say. */
    public record Identity(String instance, String build) {
    }

    /** Probes {@code base} at path {@code /}, every 10 ms, for up to 60 s. */
    public static ReadinessProbe forHttp(URI base) {
        return new ReadinessProbe(base.resolve("/"), Duration.ofMillis(10), Duration.ofSeconds(60), Duration.ofSeconds(2), () -> true,
                null, null);
    }

    public ReadinessProbe path(String path) {
        return new ReadinessProbe(url.resolve(path), interval, deadline, requestTimeout, stillWorthWaiting, expectedBuild, oldInstance);
    }

    public ReadinessProbe interval(Duration every) {
        return new ReadinessProbe(url, every, deadline, requestTimeout, stillWorthWaiting, expectedBuild, oldInstance);
    }

    public ReadinessProbe deadline(Duration within) {
        return new ReadinessProbe(url, interval, within, requestTimeout, stillWorthWaiting, expectedBuild, oldInstance);
    }

    /** Per-request timeout: a server that accepts but stalls is retried after this. */
    public ReadinessProbe requestTimeout(Duration timeout) {
        return new ReadinessProbe(url, interval, deadline, timeout, stillWorthWaiting, expectedBuild, oldInstance);
    }

    /**
     * A check run between attempts; when it turns false (the process died, the container exited) waiting stops
     * at once with a {@link ReadinessException}, instead of running out the deadline.
     */
    public ReadinessProbe whileAlive(BooleanSupplier alive) {
        return new ReadinessProbe(url, interval, deadline, requestTimeout, alive, expectedBuild, oldInstance);
    }

    /**
     * Only a server of this build counts as ready: one that answers with another build, or without saying, is an old
     * server still holding the port, and waiting stops at once with an error that says so. Null accepts any.
     */
    public ReadinessProbe expectBuild(String build) {
        return new ReadinessProbe(url, interval, deadline, requestTimeout, stillWorthWaiting, build, oldInstance);
    }

    /** Answers from this instance (the server before a restart) do not count: it is still on its way out. */
    public ReadinessProbe notInstance(String instance) {
        return new ReadinessProbe(url, interval, deadline, requestTimeout, stillWorthWaiting, expectedBuild, instance);
    }

    /** Who answers at {@code base} now, in one request; empty when nothing answers 200 within two seconds. */
    public static Optional<Identity> identify(URI base) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? Optional.of(identity(r)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Identity identity(HttpResponse<?> r) {
        return new Identity(r.headers().firstValue(INSTANCE_HEADER).orElse(null), r.headers().firstValue(BUILD_HEADER).orElse(null));
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
        return awaitReadiness().readyNanos();
    }

    /**
     * When the server's port first answered (an HTTP answer of any status, e.g. 503 while it starts: its own listener,
     * not a proxy's or a forward's) and when it answered its first 200, as {@link System#nanoTime()} readings.
     */
    public record Readiness(long portOpenNanos, long readyNanos) {
    }

    /** As {@link #awaitReady()}, with the moment the port first answered. */
    public Readiness awaitReadiness() {
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
            long portOpen = -1;
            while (true) {
                long attempt = System.nanoTime();
                try {
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    long now = System.nanoTime();
                    Identity answered = identity(response);
                    boolean oldOne = oldInstance != null && oldInstance.equals(answered.instance());
                    if (portOpen < 0 && !oldOne) {
                        portOpen = now;
                    }
                    if (response.statusCode() == 200) {
                        Identity who = identity(response);
                        if (oldInstance != null && oldInstance.equals(who.instance())) {
                            last = "the server before the restart (instance " + oldInstance + ") still answers";
                        } else if (expectedBuild != null && !expectedBuild.equals(who.build())) {
                            throw new ReadinessException("An old gallery server answers at " + url + ": "
                                    + (who.build() == null ? "one that does not say its build" : "build " + shortly(who.build())
                                    + " (instance " + who.instance() + ")") + ", not build " + shortly(expectedBuild)
                                    + " that was just started. It is not measured: stop it, or whatever else holds port " + url.getPort()
                                    + ", then start again.");
                        } else {
                            return new Readiness(portOpen, now);
                        }
                    } else {
                        last = "HTTP " + response.statusCode();
                    }
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

    private static String shortly(String build) {
        return build.length() > 12 ? build.substring(0, 12) : build;
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
