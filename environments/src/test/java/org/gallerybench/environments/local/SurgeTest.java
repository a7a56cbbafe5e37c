package org.gallerybench.environments.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.gallerybench.environments.SlowClients;
import org.gallerybench.environments.TestHttp;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A surge and a slow-client flood over real sockets against the real server process, with its production flags,
 * configured for 100 connections and 8 requests at once, and driven past both limits. The server never dies, holds
 * no more connections than it was told, answers what it takes (200) and refuses the rest clearly (503 with
 * Retry-After, or a connection it does not accept), closes clients that dribble their headers, and afterwards serves
 * normally with every image still there. The figures at 1,000 to 5,000 connections are the benchmark's
 * ({@code scripts/benchmark server}).
 */
class SurgeTest {
    static final int MAX_CONNECTIONS = 100;
    static final int IMAGES = 60;

    @TempDir
    static Path data;
    static LocalEnvironment server;
    static URI base;
    static long pid;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalEnvironment(LocalSettings.defaults(data).withPort(LocalEnvironmentTest.freePort())
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot"))
                .withServerEnv(Map.of("GALLERY_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS),
                        "GALLERY_MAX_CONCURRENT_REQUESTS", "8",
                        // only for the max-heap figure below; the JVM flags stay the production ones
                        "GALLERY_METRICS", "on")));
        server.deploy(TestServer.artifact());
        server.start();
        base = server.endpoint();
        pid = server.pid().orElseThrow();
        for (int i = 0; i < IMAGES; i++) {
            assertThat(TestHttp.upload(base, "surge-" + i + ".png", TestHttp.png(64 + i, 48, 0x203040 + i * 977)).statusCode())
                    .isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSurgeOfKeepAliveClientsPastTheLimitIsServedOrRefusedClearlyAndTheServerStaysUp() throws Exception {
        int clients = 600;
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicInteger missingRetryAfter = new AtomicInteger();
        AtomicInteger maxSockets = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> keepAliveClient(end, outcomes, missingRetryAfter));
            }
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    maxSockets.accumulateAndGet(SlowClients.serverSockets(pid), Math::max);
                    sleep(200);
                }
            });
        }
        System.out.println("surge of " + clients + " keep-alive clients: " + outcomes + ", server sockets at most " + maxSockets);
        assertThat(alive()).as("the server survived the surge").isTrue();
        assertThat(outcomes.keySet()).as("every answer is 200 or 503; anything else is a refused or queued connection")
                .allSatisfy(k -> assertThat(k).isIn("200", "503", "not accepted"));
        assertThat(count(outcomes, "200")).as("the server kept answering during the surge").isGreaterThan(100);
        assertThat(missingRetryAfter).as("every 503 says when to come back").hasValue(0);
        // The listener and a few of the JVM's own descriptors besides the connections.
        assertThat(maxSockets.get()).as("connections held by the server").isLessThanOrEqualTo(MAX_CONNECTIONS + 5);
        assertServesNormally();
    }

    @Test
    void clientsThatDribbleTheirHeadersAreClosedAndDoNotTakeTheServerDown() throws Exception {
        int clients = 300;
        // A byte a second on every connection, for 25 s: two and a half header deadlines.
        int closedByServer = 0;
        int maxSockets = 0;
        int notAccepted;
        try (SlowClients slow = SlowClients.open(base, clients)) {
            notAccepted = slow.notAccepted();
            for (int second = 0; second < 25; second++) {
                maxSockets = Math.max(maxSockets, SlowClients.serverSockets(pid));
                closedByServer += slow.dribble();
                Thread.sleep(1000);
            }
        }
        System.out.println("slow clients: " + clients + ", closed by the server " + closedByServer + ", not accepted "
                + notAccepted + ", server sockets at most " + maxSockets);
        assertThat(alive()).isTrue();
        assertThat(maxSockets).as("connections held by the server").isLessThanOrEqualTo(MAX_CONNECTIONS + 5);
        assertThat(closedByServer).as("the server closed the clients that never finished their headers")
                .isGreaterThanOrEqualTo(MAX_CONNECTIONS);
        assertServesNormally();
    }

    @Test
    void requestsPastTheConcurrencyLimitWaitThenGet503WithRetryAfter() throws Exception {
        // Eight uploads that send their body slowly hold all eight request slots.
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket(base.getHost(), base.getPort());
            s.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: 100000\r\n\r\n--b\r\n").getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        Thread.sleep(500);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            long start = System.nanoTime();
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s.getInputStream());
            long waited = (System.nanoTime() - start) / 1_000_000;
            System.out.println("a request past the limit, after " + waited + " ms: " + head.lines().findFirst().orElse(""));
            assertThat(head).startsWith("HTTP/1.1 503");
            assertThat(header(head, "retry-after")).as("says when to come back").hasValue("2");
            assertThat(header(head, "connection")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
            assertThat(waited).as("it waited its turn for the queue's 10 s first").isBetween(9_000L, 20_000L);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(alive()).isTrue();
        assertServesNormally();
    }

    private static void assertServesNormally() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            try {
                status = TestHttp.get(base, "/").statusCode();
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        assertThat(status).as("serves normally after the surge").isEqualTo(200);
        String list = new String(TestHttp.get(base, "/api/images?size=500").body(), StandardCharsets.UTF_8);
        assertThat(list).as("nothing stored was lost").contains("\"total\":" + IMAGES);
        assertThat(TestHttp.get(base, "/images/surge-0.png").statusCode()).isEqualTo(200);
        String metrics = new String(TestHttp.get(base, "/metrics").body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("memory_maxHeap_bytes\\{[^}]*} ([0-9.E]+)").matcher(metrics);
        assertThat(max.find()).as("/metrics reports the max heap").isTrue();
        assertThat(Double.parseDouble(max.group(1))).as("jvm.options' -Xmx24m is in force")
                .isBetween(16.0 * 1024 * 1024, 24.0 * 1024 * 1024);
    }

    /** One wrk-like client: requests on a keep-alive connection until the end, reconnecting when closed. */
    private static void keepAliveClient(long end, Map<String, LongAdder> outcomes, AtomicInteger missingRetryAfter) {
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
                s.setSoTimeout(3000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                boolean open = true;
                while (open && System.nanoTime() < end) {
                    out.write(request);
                    out.flush();
                    String head = readHead(in);
                    String status = head.substring(9, 12);
                    outcomes.computeIfAbsent(status, k -> new LongAdder()).increment();
                    long length = header(head, "content-length").map(Long::parseLong).orElse(0L);
                    in.skipNBytes(length);
                    if (status.equals("503") && header(head, "retry-after").isEmpty()) {
                        missingRetryAfter.incrementAndGet();
                    }
                    open = header(head, "connection").map(v -> !v.equalsIgnoreCase("close")).orElse(true);
                }
            } catch (IOException | RuntimeException e) {
                // Not accepted in time: waiting in the kernel's accept queue, dropped, or reset.
                outcomes.computeIfAbsent("not accepted", k -> new LongAdder()).increment();
                sleep(100);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static java.util.Optional<String> header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return java.util.Optional.of(line.substring(colon + 1).trim());
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long count(Map<String, LongAdder> outcomes, String key) {
        LongAdder a = outcomes.get(key);
        return a == null ? 0 : a.sum();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
