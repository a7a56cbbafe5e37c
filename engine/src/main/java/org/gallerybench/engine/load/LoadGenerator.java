package org.gallerybench.engine.load;

import org.gallerybench.engine.BenchException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import java.util.Locale;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.util.TimeValue;

/**
 * An HTTP load generator on Apache HttpClient 5 (its minimal async client) with HdrHistogram. Like wrk, it keeps
 * apart the loop (here), what to request ({@link Workload}), when to send ({@link Pacer}), the statistics
 * ({@link PhaseStats}) and the check on its own load ({@link GeneratorLoad}).
 *
 * <p>Each connection is a persistent endpoint, driven by its own loop: in closed loop it sends the next request as
 * soon as the previous answer arrives; in open loop it follows a schedule and measures latency from the intended
 * send time (wrk2). The connections run on through warm-up and the measured window; only the statistics change at
 * the boundary. The pool holds exactly as many connections as the concurrency: HttpClient's default of 5 per route
 * would silently queue requests, and the queueing would land in the latency.
 *
 * <p>No loop ends silently: every exception in building, sending or reading a request is counted as an error of a
 * named kind and the loop goes on; failed connects back off from 10 ms, doubling up to 1 s. Each request has a
 * deadline for its whole exchange. When every request has failed for {@value #ALL_FAILING_SECONDS} s, the window
 * ends early and the result says why. Callbacks run on HttpClient's I/O threads and never block.
 */
public final class LoadGenerator {
    private static final Logger LOG = Logger.getLogger(LoadGenerator.class.getName());
    static final int ALL_FAILING_SECONDS = 3;
    private static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static final long LOOP_NANOS = 50_000_000L;

    private final URI base;
    private final LoadProfile profile;
    private final long seed;
    private final Requests requests;
    private final List<String> storedNames;

    /** A generator whose random choices are drawn from a fresh seed (recorded in the result). */
    public LoadGenerator(URI base, LoadProfile profile) {
        this(base, profile, new SplittableRandom().nextLong());
    }

    /** A generator whose connections draw their choices from {@code seed}: the same seed sends the same requests. */
    public LoadGenerator(URI base, LoadProfile profile, long seed) {
        this(base, profile, seed, Requests.GALLERY, List.of());
    }

    /**
     * For an app whose requests are {@code requests} (a subject's manifest); when it lists no images of its own, image
     * requests fetch {@code storedNames}, the dataset the run placed in its store.
     */
    public LoadGenerator(URI base, LoadProfile profile, long seed, Requests requests, List<String> storedNames) {
        this.base = base;
        this.profile = profile;
        this.seed = seed;
        this.requests = requests;
        this.storedNames = List.copyOf(storedNames);
    }

    /**
     * Warms up, then loads for the profile's duration (or request count), handing one {@link LoadTick} a second to
     * {@code onTick} (on the calling thread). Stops early, cleanly, when {@code cancelled} turns true.
     *
     * @throws BenchException when the load cannot even be prepared (the server does not answer its image list)
     */
    public LoadResult run(Consumer<LoadTick> onTick, BooleanSupplier cancelled) {
        return run(onTick, cancelled, () -> { });
    }

    /** As {@link #run(Consumer, BooleanSupplier)}, calling {@code onMeasuredPhase} when the warm-up ends and measuring begins. */
    public LoadResult run(Consumer<LoadTick> onTick, BooleanSupplier cancelled, Runnable onMeasuredPhase) {
        Workload workload = Workload.prepare(base, profile, seed, requests, storedNames);
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(profile.concurrency())
                .setMaxConnPerRoute(profile.concurrency())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        // The deadline of an exchange is enforced by the loop; the socket timeout is only a backstop.
                        .setSocketTimeout(Timeout.of(profile.requestTimeout().plusSeconds(5)))
                        .build())
                .build();
        // Plain http: the minimal client speaks HTTP/1.1 (no upgrade), as wrk does.
        MinimalHttpAsyncClient client = HttpAsyncClients.createMinimal(H2Config.DEFAULT, Http1Config.DEFAULT,
                IOReactorConfig.custom().setIoThreadCount(IO_THREADS).setTcpNoDelay(true).build(), pool);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-scheduler");
            t.setDaemon(true);
            return t;
        });
        client.start();
        Driver driver = new Driver(client, scheduler, workload, new HttpHost(base.getScheme(), base.getHost(), base.getPort()));
        try {
            long start = System.nanoTime();
            PhaseStats measured = new PhaseStats(profile.mix(), start);
            boolean warm = !profile.warmup().isZero() && !cancelled.getAsBoolean();
            driver.stats = measured;
            driver.measuring = !warm;
            driver.start(start);
            String aborted = null;
            if (warm) {
                PhaseStats warmup = measured;
                aborted = driver.window(warmup, profile.warmup(), 0, tick -> { }, cancelled);
                warmup.close(System.nanoTime());
                measured = new PhaseStats(profile.mix(), System.nanoTime());
                driver.measure(measured);
            }
            onMeasuredPhase.run();
            GeneratorLoad self = GeneratorLoad.start(IO_THREADS);
            if (aborted == null) {
                aborted = driver.window(measured, profile.duration(), profile.requestLimit(), onTick, cancelled);
            }
            long end = System.nanoTime();
            measured.close(end);
            long missed = driver.stop(end);
            GeneratorLoad.Reading cpu = self.read();
            LoadResult result = measured.result(missed, cpu, seed, aborted, List.of());
            List<String> warnings = self.warnings(cpu, profile, result);
            return warnings.isEmpty() ? result : measured.result(missed, cpu, seed, aborted, warnings);
        } finally {
            driver.stopping = true;
            scheduler.shutdownNow();
            // Close the connections, then the reactor: a graceful close alone waits seconds for idle keep-alive
            // connections, and an immediate one races the reactor's own shutdown (HttpCore logs it as SEVERE).
            pool.close(CloseMode.IMMEDIATE);
            client.initiateShutdown();
            try {
                client.awaitShutdown(TimeValue.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close(CloseMode.IMMEDIATE);
        }
    }

    /** The connections and the loop that watches them. */
    private final class Driver {
        private final MinimalHttpAsyncClient client;
        private final ScheduledExecutorService scheduler;
        private final Workload workload;
        private final HttpHost host;
        private final Pacer pacer = Pacer.of(profile);
        private final List<ClientConnection> connections = new ArrayList<>();
        private final AtomicLong issued = new AtomicLong();
        private final AtomicLong settled = new AtomicLong();
        private final long deadlineNanos = profile.requestTimeout().toNanos();
        private final AtomicBoolean clientErrorLogged = new AtomicBoolean();
        volatile PhaseStats stats;
        volatile boolean measuring;
        volatile boolean stopping;

        Driver(MinimalHttpAsyncClient client, ScheduledExecutorService scheduler, Workload workload, HttpHost host) {
            this.client = client;
            this.scheduler = scheduler;
            this.workload = workload;
            this.host = host;
        }

        void start(long startNanos) {
            for (int c = 0; c < profile.concurrency(); c++) {
                connections.add(new ClientConnection(workload.chooser(c), pacer.schedule(c, profile.concurrency(), startNanos)));
            }
            connections.forEach(ClientConnection::lease);
        }

        /** From now on, answers count in {@code measured}; a request count starts from zero. */
        void measure(PhaseStats measured) {
            issued.set(0);
            settled.set(0);
            stats = measured;
            measuring = true;
        }

        /**
         * Runs one window: ticks once a second, enforces the exchanges' deadlines, and ends at the window's length, a
         * request count, a cancel, or when every request has failed for {@value #ALL_FAILING_SECONDS} s.
         *
         * @return null, or why the window ended early
         */
        String window(PhaseStats window, Duration length, long requestLimit, Consumer<LoadTick> onTick, BooleanSupplier cancelled) {
            long startNanos = window.startNanos();
            long end = length.isZero() ? Long.MAX_VALUE : startNanos + length.toNanos();
            int second = 0;
            long lastSuccesses = 0;
            long lastFailures = 0;
            long failingSince = Long.MIN_VALUE;
            while (true) {
                long nextTick = startNanos + (second + 1) * 1_000_000_000L;
                long now = System.nanoTime();
                sleepNanos(Math.min(Math.min(nextTick, end), now + LOOP_NANOS) - now);
                now = System.nanoTime();
                expireOverdue(now);
                if (now >= nextTick) {
                    second++;
                    onTick.accept(window.tick(second));
                }
                long successes = window.successCount();
                long failures = window.failureCount();
                if (successes > lastSuccesses) {
                    failingSince = Long.MIN_VALUE;
                } else if (failures > lastFailures && failingSince == Long.MIN_VALUE) {
                    failingSince = now;
                }
                lastSuccesses = successes;
                lastFailures = failures;
                if (failingSince != Long.MIN_VALUE && now - failingSince >= ALL_FAILING_SECONDS * 1_000_000_000L) {
                    return "every request failed for " + ALL_FAILING_SECONDS + " s (" + window.lastError() + ")";
                }
                if (now >= end || cancelled.getAsBoolean() || (requestLimit > 0 && settled.get() >= requestLimit)) {
                    return null;
                }
            }
        }

        /** The request deadline covers the whole exchange: one still unanswered past it is a timeout, and its connection is replaced. */
        private void expireOverdue(long now) {
            for (ClientConnection c : connections) {
                Exchange ex = c.current;
                if (ex != null && now - ex.sentNanos > deadlineNanos) {
                    c.timedOut(ex);
                }
            }
        }

        /** Stops every loop; returns the sends that were due before {@code endNanos} and never made (open loop). */
        long stop(long endNanos) {
            stopping = true;
            long missed = 0;
            for (ClientConnection c : connections) {
                missed += c.schedule.missedBefore(endNanos);
            }
            return missed;
        }

        private void later(Runnable task, long delay, TimeUnit unit) {
            try {
                scheduler.schedule(task, delay, unit);
            } catch (RejectedExecutionException shuttingDown) {
                // the run is over
            }
        }

        /** One request in flight; settled exactly once, by its answer, its failure, or its deadline. */
        private static final class Exchange extends AtomicBoolean {
            final RequestKind kind;
            final long since;
            final long sentNanos;

            Exchange(RequestKind kind, long since, long sentNanos) {
                this.kind = kind;
                this.since = since;
                this.sentNanos = sentNanos;
            }

            boolean settle() {
                return compareAndSet(false, true);
            }
        }

        /** One client connection (an endpoint of its own) and its request loop. */
        private final class ClientConnection {
            private final Workload.Chooser chooser;
            private final Pacer.Schedule schedule;
            private volatile AsyncClientEndpoint endpoint;
            volatile Exchange current;
            private long backoffMillis;
            private boolean answeredSinceLease;

            ClientConnection(Workload.Chooser chooser, Pacer.Schedule schedule) {
                this.chooser = chooser;
                this.schedule = schedule;
            }

            void lease() {
                if (stopping) {
                    return;
                }
                try {
                    client.lease(host, new FutureCallback<>() {
                        @Override
                        public void completed(AsyncClientEndpoint leased) {
                            endpoint = leased;
                            answeredSinceLease = false;
                            next();
                        }

                        @Override
                        public void failed(Exception e) {
                            // A failed connect is an error, not a request.
                            stats.failed(ErrorKind.CONNECT, ErrorKind.describe(e));
                            retryLater();
                        }

                        @Override
                        public void cancelled() {
                            retryLater();
                        }
                    });
                } catch (RuntimeException e) {
                    clientError(e);
                }
            }

            /** Repeated failures back off: 10 ms, doubling up to 1 s. */
            private void retryLater() {
                if (stopping) {
                    return;
                }
                backoffMillis = backoffMillis == 0 ? 10 : Math.min(1000, backoffMillis * 2);
                later(this::lease, backoffMillis, TimeUnit.MILLISECONDS);
            }

            void next() {
                try {
                    if (stopping) {
                        return;
                    }
                    long limit = profile.requestLimit();
                    if (limit > 0 && measuring && issued.incrementAndGet() > limit) {
                        return;
                    }
                    long now = System.nanoTime();
                    long due = schedule.next(now);
                    long delay = due - now;
                    if (delay > 50_000) {
                        later(() -> send(due), delay, TimeUnit.NANOSECONDS);
                    } else {
                        send(due);
                    }
                } catch (RuntimeException e) {
                    clientError(e);
                }
            }

            /** Sends one request; latency is measured from {@code since}: now, or the intended time in open loop. */
            void send(long since) {
                if (stopping) {
                    return;
                }
                try {
                    Workload.Request request = chooser.next();
                    Exchange ex = new Exchange(request.kind(), since, System.nanoTime());
                    current = ex;
                    endpoint.execute(request.producer(), new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                            new FutureCallback<Message<HttpResponse, Void>>() {
                                @Override
                                public void completed(Message<HttpResponse, Void> answer) {
                                    if (!ex.settle()) {
                                        return;
                                    }
                                    current = null;
                                    settled.incrementAndGet();
                                    answeredSinceLease = true;
                                    backoffMillis = 0;
                                    stats.answered(ex.kind, answer.getHead().getCode(), System.nanoTime() - ex.since);
                                    if (closes(answer.getHead())) {
                                        // The server closes after this answer (gunicorn's sync worker, an HTTP/1.0 server):
                                        // open a new connection for the next request, as wrk does; nothing failed.
                                        discard();
                                        lease();
                                    } else {
                                        next();
                                    }
                                }

                                @Override
                                public void failed(Exception e) {
                                    if (!ex.settle()) {
                                        return;
                                    }
                                    current = null;
                                    settled.incrementAndGet();
                                    stats.failed(ErrorKind.of(e), ErrorKind.describe(e));
                                    reconnect();
                                }

                                @Override
                                public void cancelled() {
                                    if (ex.settle()) {
                                        current = null;
                                        reconnect();
                                    }
                                }
                            });
                } catch (RuntimeException e) {
                    clientError(e);
                }
            }

            /** Called by the loop when the exchange's deadline has passed. */
            void timedOut(Exchange ex) {
                if (!ex.settle()) {
                    return;
                }
                current = null;
                settled.incrementAndGet();
                stats.failed(ErrorKind.TIMEOUT, "no complete answer within " + profile.requestTimeout().toMillis() + " ms");
                reconnect();
            }

            /**
             * A new connection for the next request: at once if this one had answered before, else after a back-off,
             * so that a server that accepts and drops every connection (a dead guest behind QEMU's forward, say)
             * is not hammered in a tight loop.
             */
            /** Whether the server says it closes the connection after this answer ({@code Connection: close}, or HTTP/1.0). */
            private static boolean closes(HttpResponse head) {
                Header c = head.getFirstHeader("Connection");
                if (c != null) {
                    return c.getValue().toLowerCase(Locale.ROOT).contains("close");
                }
                return head.getVersion() != null && head.getVersion().lessEquals(HttpVersion.HTTP_1_0);
            }

            private void reconnect() {
                discard();
                if (answeredSinceLease) {
                    lease();
                } else {
                    retryLater();
                }
            }

            /** A bug of the generator's own: counted, logged once, and the loop goes on after a back-off. */
            private void clientError(RuntimeException e) {
                if (clientErrorLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "The load generator failed to send a request; counted as a generator error", e);
                }
                stats.failed(ErrorKind.CLIENT, ErrorKind.describe(e));
                Exchange ex = current;
                if (ex != null) {
                    ex.settle();
                    current = null;
                }
                discard();
                retryLater();
            }

            private void discard() {
                AsyncClientEndpoint e = endpoint;
                endpoint = null;
                if (e != null) {
                    try {
                        e.releaseAndDiscard();
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }
            }
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos > 0) {
            try {
                Thread.sleep(Duration.ofNanos(nanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
