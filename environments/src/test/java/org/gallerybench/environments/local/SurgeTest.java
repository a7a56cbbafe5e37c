package org.gallerybench.environments.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.gallerybench.environments.RudeClients;
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
 * normally with every image still there. Then the combinations (issue 21): a surge followed by half-sent request
 * lines, half-sent lines, slow uploads and vanishing clients during a surge; after each the server is up, serves every
 * image, has logged no warning and no stack trace, and its resident memory is printed. The figures at 1,000 to 5,000
 * connections are the benchmark's ({@code scripts/benchmark server}).
 */
class SurgeTest {
    static final int MAX_CONNECTIONS = 100;
    static final int IMAGES = 60;

    @TempDir
    static Path data;
    static LocalEnvironment server;
    static URI base;
    static long pid;
    /** Up to where the server's log was checked for warnings. */
    static int logChecked;
    /** The heap jvm.options allows. */
    static final double MAX_HEAP_BYTES = 64.0 * 1024 * 1024;

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
        AtomicInteger maxSockets = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        Thread watch = Thread.ofVirtual().start(() -> {
            while (System.nanoTime() < end) {
                maxSockets.accumulateAndGet(SlowClients.serverSockets(pid), Math::max);
                sleep(200);
            }
        });
        RudeClients.Outcomes outcomes = RudeClients.surge(base, clients, Duration.ofSeconds(8));
        watch.join();
        System.out.println("surge of " + clients + " keep-alive clients: " + outcomes.byStatus() + ", server sockets at most " + maxSockets);
        assertThat(alive()).as("the server survived the surge").isTrue();
        assertThat(outcomes.byStatus().keySet()).as("every answer is 200 or 503; anything else is a refused or queued connection")
                .allSatisfy(k -> assertThat(k).isIn("200", "503", "not accepted"));
        assertThat(outcomes.count("200")).as("the server kept answering during the surge").isGreaterThan(100);
        assertThat(outcomes.missingRetryAfter()).as("every 503 says when to come back").isZero();
        // The listener and a few of the JVM's own descriptors besides the connections.
        assertThat(maxSockets.get()).as("connections held by the server").isLessThanOrEqualTo(MAX_CONNECTIONS + 5);
        assertServesNormally("the surge");
    }

    /**
     * The combination that once took the server down (a 3,000-connection surge, then 1,281 clients that sent half a
     * request: OutOfMemoryError after 737 logged stack traces): a keep-alive surge, then 1,500 clients that each send
     * half a request and close, then 1,500 that send it and stay. The heap went to connections that had ended: the
     * header deadline's map held each one whose request line had arrived, until its deadline.
     */
    @Test
    void aKeepAliveSurgeFollowedByHalfSentRequests() throws Exception {
        RudeClients.Outcomes surge = RudeClients.surge(base, 600, Duration.ofSeconds(6));
        int closing = RudeClients.halfSent(base, 1_500, Duration.ZERO);
        int staying = RudeClients.halfSent(base, 1_500, Duration.ofSeconds(5));
        System.out.println("surge " + surge.byStatus() + ", then half-sent requests: " + closing + " closed at once, " + staying
                + " held for 5 s");
        assertThat(surge.count("200")).isGreaterThan(100);
        assertServesNormally("a surge, then 3,000 half-sent requests");
    }

    /** Half-sent requests from 1,500 clients while 600 keep-alive clients load the server. */
    @Test
    void halfSentRequestsDuringASurge() throws Exception {
        var surge = RudeClients.inBackground(() -> RudeClients.surge(base, 600, Duration.ofSeconds(8)));
        Thread.sleep(1000);
        int half = RudeClients.halfSent(base, 1_500, Duration.ZERO);
        RudeClients.Outcomes outcomes = surge.get(2, java.util.concurrent.TimeUnit.MINUTES);
        System.out.println("during a surge " + outcomes.byStatus() + ": " + half + " half-sent requests");
        assertThat(outcomes.byStatus().keySet()).allSatisfy(k -> assertThat(k).isIn("200", "503", "not accepted"));
        assertServesNormally("half-sent requests during a surge");
    }

    /** Uploads that send their body a byte at a time, holding request slots, while a surge goes on. */
    @Test
    void slowUploadsDuringASurge() throws Exception {
        var surge = RudeClients.inBackground(() -> RudeClients.surge(base, 400, Duration.ofSeconds(8)));
        Thread.sleep(500);
        int answered = RudeClients.slowUploads(base, 12, Duration.ofSeconds(7));
        RudeClients.Outcomes outcomes = surge.get(2, java.util.concurrent.TimeUnit.MINUTES);
        System.out.println("during a surge " + outcomes.byStatus() + ": 12 slow uploads, " + answered + " answered before they ended");
        assertThat(outcomes.byStatus().keySet()).allSatisfy(k -> assertThat(k).isIn("200", "503", "not accepted"));
        assertThat(outcomes.missingRetryAfter()).isZero();
        assertServesNormally("slow uploads during a surge");
    }

    /** Clients that vanish in the middle of an upload (a reset), 300 of them, during a surge: nothing partial is kept. */
    @Test
    void clientsThatVanishMidRequestLeaveNothingBehind() throws Exception {
        var surge = RudeClients.inBackground(() -> RudeClients.surge(base, 400, Duration.ofSeconds(6)));
        Thread.sleep(500);
        RudeClients.vanishMidUpload(base, 300);
        surge.get(2, java.util.concurrent.TimeUnit.MINUTES);
        assertServesNormally("300 clients that vanished mid-upload during a surge");
        try (var files = java.nio.file.Files.list(server.uploadDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("gone"))).as("no partial upload kept").isEmpty();
        }
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
        assertServesNormally("clients that dribble their headers");
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
            String head = RudeClients.readHead(s.getInputStream());
            long waited = (System.nanoTime() - start) / 1_000_000;
            System.out.println("a request past the limit, after " + waited + " ms: " + head.lines().findFirst().orElse(""));
            assertThat(head).startsWith("HTTP/1.1 503");
            assertThat(RudeClients.header(head, "retry-after")).as("says when to come back").hasValue("2");
            assertThat(RudeClients.header(head, "connection")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
            assertThat(waited).as("it waited its turn for the queue's 10 s first").isBetween(9_000L, 20_000L);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertServesNormally("requests past the concurrency limit");
    }

    /**
     * After what a test did: the server is up, answers 200 with every image, has not logged a warning or a stack trace
     * since the last check, and its resident memory is printed.
     */
    private static void assertServesNormally(String after) throws Exception {
        assertThat(alive()).as(() -> "the server is up after " + after + "; its log ends:\n" + logTail()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200 && alive()) {
            try {
                status = TestHttp.get(base, "/").statusCode();
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        int answered = status;
        assertThat(answered).as(() -> "serves normally after " + after + " (up: " + alive() + "); its log ends:\n" + logTail())
                .isEqualTo(200);
        String list = new String(TestHttp.get(base, "/api/images?size=100").body(), StandardCharsets.UTF_8);
        assertThat(list).as("nothing stored was lost").contains("\"total\":" + IMAGES);
        assertThat(TestHttp.get(base, "/images/surge-0.png").statusCode()).isEqualTo(200);
        String metrics = new String(TestHttp.get(base, "/metrics").body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("memory_maxHeap_bytes\\{[^}]*} ([0-9.E]+)").matcher(metrics);
        assertThat(max.find()).as("/metrics reports the max heap").isTrue();
        assertThat(Double.parseDouble(max.group(1))).as("jvm.options' -Xmx is in force").isBetween(16.0 * 1024 * 1024, MAX_HEAP_BYTES);
        String log = java.nio.file.Files.readString(server.logFile());
        String since = log.substring(Math.min(log.length(), logChecked));
        logChecked = log.length();
        assertThat(since.lines().filter(l -> l.contains(" WARNING ") || l.contains(" SEVERE ") || l.startsWith("\tat ")
                || l.contains("Exception")).toList()).as("warnings and stack traces the server logged during " + after).isEmpty();
        System.out.println("after " + after + ": RSS " + org.gallerybench.environments.ProcFs.resident(pid)
                .map(r -> String.format("%.0f MiB (anonymous %.0f, file-backed %.0f)", r.rssBytes() / 1048576.0, r.anonymousBytes() / 1048576.0,
                        r.fileBytes() / 1048576.0)).orElse("unknown"));
    }

    private static String logTail() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(server.logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
