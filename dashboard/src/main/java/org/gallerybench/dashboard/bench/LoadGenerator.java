package org.gallerybench.dashboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * An HTTP load generator on Apache HttpClient 5 (its minimal async client) with HdrHistogram.
 *
 * <p>Each connection is a persistent endpoint leased once and driven by its own loop, as wrk does: in closed loop
 * it sends the next request as soon as the previous answer arrives; in open loop it keeps a schedule of intended
 * send times (rate / connections apart) and measures latency from the intended time, not the actual one, so that
 * a stall shows in the percentiles instead of being hidden (coordinated omission, as wrk2 corrects it). The pool
 * holds exactly as many connections as the concurrency: HttpClient's default of 5 per route would silently queue
 * requests, and the queueing would land in the latency.
 *
 * <p>Callbacks run on HttpClient's I/O threads and never block; open-loop sends wait on a scheduler thread.
 */
public final class LoadGenerator {
    private static final String BOUNDARY = "gallerybench-load-7f3a91";
    private static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private final URI base;
    private final LoadProfile profile;
    private final HttpHost host;
    private final List<RequestKind> sequence;
    private volatile List<String> imageNames = List.of();
    private volatile byte[] uploadBody;

    public LoadGenerator(URI base, LoadProfile profile) {
        this.base = base;
        this.profile = profile;
        this.host = new HttpHost(base.getScheme(), base.getHost(), base.getPort());
        this.sequence = profile.mix().sequence();
    }

    /**
     * Warms up, then loads for the profile's duration (or request count), handing one {@link LoadTick} a second to
     * {@code onTick} (on the generator's own thread). Stops early, cleanly, when {@code cancelled} turns true.
     */
    public LoadResult run(Consumer<LoadTick> onTick, BooleanSupplier cancelled) {
        return run(onTick, cancelled, () -> { });
    }

    /** As {@link #run(Consumer, BooleanSupplier)}, calling {@code onMeasuredPhase} when the warm-up ends and measuring begins. */
    public LoadResult run(Consumer<LoadTick> onTick, BooleanSupplier cancelled, Runnable onMeasuredPhase) {
        prepare();
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(profile.concurrency())
                .setMaxConnPerRoute(profile.concurrency())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(Timeout.of(profile.requestTimeout()))
                        .build())
                .build();
        // Plain http: the minimal client speaks HTTP/1.1 (no upgrade), as wrk does.
        MinimalHttpAsyncClient client = HttpAsyncClients.createMinimal(H2Config.DEFAULT, Http1Config.DEFAULT,
                IOReactorConfig.custom().setIoThreadCount(IO_THREADS).setTcpNoDelay(true).setSoTimeout(Timeout.of(profile.requestTimeout()))
                        .build(), pool);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-scheduler");
            t.setDaemon(true);
            return t;
        });
        client.start();
        try {
            if (!profile.warmup().isZero() && !cancelled.getAsBoolean()) {
                new Phase(client, scheduler, profile.warmup(), 0, tick -> { }, cancelled).run();
            }
            onMeasuredPhase.run();
            return new Phase(client, scheduler, profile.duration(), profile.requestLimit(), onTick, cancelled).run();
        } finally {
            scheduler.shutdownNow();
            client.close(CloseMode.GRACEFUL);
        }
    }

    /** Learns stored image names (for GET /images/...) and makes the upload body, before any timing starts. */
    private void prepare() {
        if (profile.mix().includes(RequestKind.UPLOAD) || profile.mix().includes(RequestKind.IMAGE)) {
            uploadBody = multipart(validPng(profile.uploadBytes()));
        }
        if (!profile.mix().includes(RequestKind.IMAGE)) {
            return;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            List<String> names = fetchNames(http);
            if (names.isEmpty()) {
                HttpRequest upload = HttpRequest.newBuilder(base.resolve("/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(uploadBody)).timeout(Duration.ofSeconds(60)).build();
                http.send(upload, java.net.http.HttpResponse.BodyHandlers.discarding());
                names = fetchNames(http);
            }
            if (names.isEmpty()) {
                throw new IllegalStateException("the gallery at " + base + " has no image to request, and uploading one failed");
            }
            imageNames = names;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + base + " to prepare the load: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the load", e);
        }
    }

    private List<String> fetchNames(HttpClient http) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/api/images?size=500"))
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        List<String> names = new ArrayList<>();
        if (list.statusCode() == 200) {
            for (JsonNode image : new ObjectMapper().readTree(list.body()).path("images")) {
                names.add(image.path("url").asText());
            }
        }
        return names;
    }

    /** One timed run of the connections: the warm-up or the measured phase. */
    private final class Phase {
        private final MinimalHttpAsyncClient client;
        private final ScheduledExecutorService scheduler;
        private final Duration length;
        private final long requestLimit;
        private final Consumer<LoadTick> onTick;
        private final BooleanSupplier cancelled;
        private final EnumMap<RequestKind, Recorder> recorders = new EnumMap<>(RequestKind.class);
        private final EnumMap<RequestKind, Histogram> cumulative = new EnumMap<>(RequestKind.class);
        private final EnumMap<RequestKind, LongAdder> successesThisSecond = new EnumMap<>(RequestKind.class);
        private final EnumMap<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
        private final LongAdder errorsThisSecond = new LongAdder();
        private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        private final AtomicLong issued = new AtomicLong();
        private final AtomicLong slot = new AtomicLong();
        private final CountDownLatch finished;
        private volatile boolean stopping;
        private long startNanos;

        Phase(MinimalHttpAsyncClient client, ScheduledExecutorService scheduler, Duration length, long requestLimit,
              Consumer<LoadTick> onTick, BooleanSupplier cancelled) {
            this.client = client;
            this.scheduler = scheduler;
            this.length = length;
            this.requestLimit = requestLimit;
            this.onTick = onTick;
            this.cancelled = cancelled;
            this.finished = new CountDownLatch(profile.concurrency());
            for (RequestKind k : RequestKind.values()) {
                recorders.put(k, new Recorder(600_000_000L, 3));
                cumulative.put(k, LatencySummary.newHistogram());
                successesThisSecond.put(k, new LongAdder());
            }
            for (ErrorKind e : ErrorKind.values()) {
                errors.put(e, new LongAdder());
            }
        }

        LoadResult run() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = processCpuNanos();
            Map<Long, Long> ioCpuBefore = ioThreadCpu(threads);
            Instant startedAt = Instant.now();
            startNanos = System.nanoTime();
            long intervalNanos = profile.mode() == LoadProfile.Mode.OPEN
                    ? (long) (1e9 * profile.concurrency() / profile.ratePerSecond()) : 0;
            for (int c = 0; c < profile.concurrency(); c++) {
                long firstIntended = startNanos + (intervalNanos == 0 ? 0 : (long) (c * 1e9 / profile.ratePerSecond()));
                new Connection(firstIntended, intervalNanos).lease();
            }
            List<LoadTick> ticks = new ArrayList<>();
            long endNanos = length.isZero() ? Long.MAX_VALUE : startNanos + length.toNanos();
            int second = 0;
            while (true) {
                long nextTick = startNanos + (second + 1) * 1_000_000_000L;
                long wake = Math.min(nextTick, endNanos);
                while (System.nanoTime() < wake && !cancelled.getAsBoolean() && !(requestLimit > 0 && finished.getCount() == 0)) {
                    sleepNanos(Math.min(wake - System.nanoTime(), 20_000_000L));
                }
                long now = System.nanoTime();
                if (now >= nextTick) {
                    second++;
                    ticks.add(tick(second));
                    onTick.accept(ticks.getLast());
                }
                if (now >= endNanos || cancelled.getAsBoolean() || (requestLimit > 0 && finished.getCount() == 0)) {
                    break;
                }
            }
            long stopNanos = System.nanoTime();
            stopping = true;
            try {
                finished.await(profile.requestTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double seconds = (stopNanos - startNanos) / 1e9;
            long cpuNanos = processCpuNanos() - cpuBefore;
            Map<RequestKind, LatencySummary> byKind = new EnumMap<>(RequestKind.class);
            Histogram all = LatencySummary.newHistogram();
            for (RequestKind k : RequestKind.values()) {
                Histogram h = cumulative.get(k);
                h.add(recorders.get(k).getIntervalHistogram());
                if (profile.mix().includes(k)) {
                    byKind.put(k, LatencySummary.of(h));
                }
                all.add(h);
            }
            long successes = all.getTotalCount();
            Map<ErrorKind, Long> errorCounts = new EnumMap<>(ErrorKind.class);
            errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
            Map<Integer, Long> statusCounts = new HashMap<>();
            statuses.forEach((k, v) -> statusCounts.put(k, v.sum()));
            long requests = successes + errorCounts.values().stream().mapToLong(Long::longValue).sum();
            double cpuPercent = cpuNanos / 1e7 / Math.max(seconds, 1e-9);
            List<String> warnings = new ArrayList<>();
            double busiestIo = busiestIoThreadPercent(threads, ioCpuBefore, stopNanos - startNanos);
            if (busiestIo >= 90 || cpuPercent >= 90.0 * IO_THREADS) {
                warnings.add(String.format(java.util.Locale.ROOT, "The load generator was itself the bottleneck: its busiest I/O thread was"
                        + " %.0f%% busy and the process used %.0f%% CPU. The figures understate what the server can do; use fewer"
                        + " connections, or run the generator on another machine.", busiestIo, cpuPercent));
            }
            if (profile.mode() == LoadProfile.Mode.OPEN && successes < 0.9 * profile.ratePerSecond() * seconds) {
                warnings.add(String.format(java.util.Locale.ROOT, "The target rate of %.0f/s was not reached (%.0f/s): the server, or the"
                        + " generator, could not keep up; latencies include the backlog.", profile.ratePerSecond(), successes / seconds));
            }
            return new LoadResult(startedAt, seconds, successes, errorCounts, statusCounts, LatencySummary.of(all), byKind,
                    successes / Math.max(seconds, 1e-9), List.copyOf(ticks), cpuPercent, requests == 0 ? 0 : cpuNanos / 1000.0 / requests,
                    List.copyOf(warnings));
        }

        private LoadTick tick(int second) {
            Histogram interval = LatencySummary.newHistogram();
            Map<RequestKind, Long> byKind = new EnumMap<>(RequestKind.class);
            for (RequestKind k : RequestKind.values()) {
                Histogram h = recorders.get(k).getIntervalHistogram();
                cumulative.get(k).add(h);
                interval.add(h);
                long n = successesThisSecond.get(k).sumThenReset();
                if (profile.mix().includes(k)) {
                    byKind.put(k, n);
                }
            }
            boolean any = interval.getTotalCount() > 0;
            return new LoadTick(Instant.now(), second, interval.getTotalCount(), errorsThisSecond.sumThenReset(),
                    any ? interval.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                    any ? interval.getValueAtPercentile(90) / 1000.0 : Double.NaN,
                    any ? interval.getValueAtPercentile(95) / 1000.0 : Double.NaN,
                    any ? interval.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                    any ? interval.getMaxValue() / 1000.0 : Double.NaN, byKind);
        }

        private void error(ErrorKind kind) {
            errors.get(kind).increment();
            errorsThisSecond.increment();
        }

        /** One connection and its request loop. */
        private final class Connection {
            private final long intervalNanos;
            private long intended;
            private AsyncClientEndpoint endpoint;

            Connection(long firstIntended, long intervalNanos) {
                this.intended = firstIntended;
                this.intervalNanos = intervalNanos;
            }

            void lease() {
                if (stopping) {
                    finished.countDown();
                    return;
                }
                client.lease(host, new FutureCallback<>() {
                    @Override
                    public void completed(AsyncClientEndpoint leased) {
                        endpoint = leased;
                        next();
                    }

                    @Override
                    public void failed(Exception e) {
                        error(classify(e));
                        retryLater();
                    }

                    @Override
                    public void cancelled() {
                        finished.countDown();
                    }
                });
            }

            private void retryLater() {
                if (stopping) {
                    finished.countDown();
                    return;
                }
                scheduler.schedule(this::lease, 100, TimeUnit.MILLISECONDS);
            }

            void next() {
                if (stopping || (requestLimit > 0 && issued.incrementAndGet() > requestLimit)) {
                    endpoint.releaseAndReuse();
                    finished.countDown();
                    return;
                }
                if (intervalNanos == 0) {
                    send(System.nanoTime());
                    return;
                }
                long due = intended;
                intended += intervalNanos;
                long delay = due - System.nanoTime();
                if (delay > 50_000) {
                    scheduler.schedule(() -> send(due), delay, TimeUnit.NANOSECONDS);
                } else {
                    send(due);
                }
            }

            /** Sends one request; latency is measured from {@code since}: now, or the intended time in open loop. */
            void send(long since) {
                if (stopping) {
                    endpoint.releaseAndReuse();
                    finished.countDown();
                    return;
                }
                RequestKind kind = sequence.get((int) (slot.getAndIncrement() % sequence.size()));
                endpoint.execute(request(kind), new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                        new FutureCallback<Message<HttpResponse, Void>>() {
                            @Override
                            public void completed(Message<HttpResponse, Void> answer) {
                                long micros = Math.max(0, (System.nanoTime() - since) / 1000);
                                int status = answer.getHead().getCode();
                                statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                                if (status >= 200 && status < 300) {
                                    recorders.get(kind).recordValue(Math.min(micros, 600_000_000L));
                                    successesThisSecond.get(kind).increment();
                                } else {
                                    error(ErrorKind.NON_2XX);
                                }
                                next();
                            }

                            @Override
                            public void failed(Exception e) {
                                error(classify(e));
                                endpoint.releaseAndDiscard();
                                endpoint = null;
                                lease();
                            }

                            @Override
                            public void cancelled() {
                                endpoint.releaseAndDiscard();
                                finished.countDown();
                            }
                        });
            }
        }
    }

    private AsyncRequestProducer request(RequestKind kind) {
        return switch (kind) {
            case PAGE -> new BasicRequestProducer(Method.GET, host, "/");
            case IMAGE -> {
                List<String> names = imageNames;
                String path = names.get((int) (Thread.currentThread().threadId() + System.nanoTime() >>> 10) % names.size());
                yield new BasicRequestProducer(Method.GET, host, path);
            }
            case UPLOAD -> {
                BasicHttpRequest post = new BasicHttpRequest(Method.POST, host, "/upload");
                post.addHeader("Accept", "application/json");
                yield new BasicRequestProducer(post, new BasicAsyncEntityProducer(uploadBody,
                        ContentType.parse("multipart/form-data; boundary=" + BOUNDARY)));
            }
        };
    }

    static ErrorKind classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t.getClass().getSimpleName().contains("ConnectionRequestTimeout")) {
                return ErrorKind.CONNECT;
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return ErrorKind.TIMEOUT;
            }
        }
        return ErrorKind.OTHER;
    }

    /** A multipart/form-data body with one file in the field {@code file}. */
    static byte[] multipart(byte[] image) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 256);
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A valid PNG of about {@code bytes} bytes: noise, which does not compress. */
    static byte[] validPng(int bytes) {
        int side = Math.max(8, (int) Math.ceil(Math.sqrt(bytes / 3.0)));
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 1024);
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static Map<Long, Long> ioThreadCpu(ThreadMXBean threads) {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().contains("dispatch")) {
                out.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return out;
    }

    private static double busiestIoThreadPercent(ThreadMXBean threads, Map<Long, Long> before, long wallNanos) {
        double busiest = 0;
        for (Map.Entry<Long, Long> e : ioThreadCpu(threads).entrySet()) {
            long start = before.getOrDefault(e.getKey(), 0L);
            busiest = Math.max(busiest, (e.getValue() - start) * 100.0 / Math.max(1, wallNanos));
        }
        return busiest;
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
