package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sends that is not a well-formed request gets a client error, never a 5xx, never silence where an
 * answer is due, and never a stack trace in the server's log: over-long request lines (414) and header blocks (431),
 * Range headers the server cannot satisfy or parse (416 or the whole file), and a seeded fuzz of malformed request
 * lines, headers and multipart bodies, each over its own raw socket. Afterwards the server answers 200 and every
 * image is as it was.
 */
class MalformedRequestsTest {
    @TempDir
    static Path dir;
    static RunningGallery gallery;
    static final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    static final Map<String, byte[]> IMAGES = new TreeMap<>();

    @BeforeAll
    static void start() {
        gallery = new RunningGallery(dir);
        IMAGES.put("red.png", TestImages.png(120, 90, 1));
        IMAGES.put("photo.jpg", TestImages.jpeg(640, 480, 2));
        IMAGES.put("blue.png", TestImages.png(300, 200, 3));
        for (Map.Entry<String, byte[]> image : IMAGES.entrySet()) {
            assertThat(gallery.http.upload(Http.form().file(image.getKey(), image.getValue()), "Accept", "application/json").statusCode())
                    .isEqualTo(201);
        }
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterEach
    void noStackTraceAndNoWarning() {
        List<String> seen;
        synchronized (logged) {
            seen = logged.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                    + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")")).toList();
            logged.clear();
        }
        assertThat(seen).as("warnings and stack traces in the server's log").isEmpty();
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("").removeHandler(CAPTURE);
        gallery.close();
    }

    @Test
    void overLongRequestLinesGet414WithAShortBody() throws Exception {
        for (int length : new int[] {4_097, 6_000, 8_191, 8_192, 9_000, 20_000, 100_000}) {
            Answer a = send(("GET /" + "a".repeat(length) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(a.status()).as("a request line of %d bytes: %s", length, a).isEqualTo(414);
            assertThat(a.body()).as("%d: a short body that says why", length).contains("longer than 4096 bytes").hasSizeLessThan(300);
        }
        Answer fine = send("GET /?q=%s HTTP/1.1\r\nHost: x\r\n\r\n".formatted("b".repeat(3_000)).getBytes(StandardCharsets.US_ASCII));
        assertThat(fine.status()).as("a long line within the limit").isEqualTo(200);
    }

    @Test
    void overLongHeaderBlocksGet431WithAShortBody() throws Exception {
        for (int length : new int[] {9_000, 20_000, 200_000}) {
            Answer a = send(("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(a.status()).as("a header of %d bytes: %s", length, a).isEqualTo(431);
            assertThat(a.body()).contains("larger than 8192 bytes").hasSizeLessThan(300);
        }
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 2_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        Answer a = send(many.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(a.status()).as("2,000 headers: %s", a).isEqualTo(431);
        // On a kept-alive connection the second request's head reaches Helidon's parser, which refuses it with 400.
        Answer second = send(("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(20_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), 2);
        assertThat(second.status()).as("the second request, kept alive: %s", second).isIn(400, 431);
        assertThat(second.body()).contains("8192 bytes");
    }

    @Test
    void rangesTheServerCannotSatisfyOrParseAreRefusedOrIgnoredNeverA500() throws Exception {
        byte[] photo = IMAGES.get("photo.jpg");
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("bytes=0-99999999999999999999", 206); // the end past the file: up to its last byte
        expected.put("bytes=99999999999999999999-", 416);
        expected.put("bytes=99999999999999999999-99999999999999999999", 416);
        expected.put("bytes=-99999999999999999999", 206); // a suffix longer than the file: all of it
        expected.put("bytes=" + photo.length + "-", 416);
        expected.put("bytes=10-5", 200); // invalid: ignored
        expected.put("bytes=0-1,5-9,20-30", 200); // several ranges: the whole file
        expected.put("bytes=abc-def", 200);
        expected.put("bytes=", 200);
        expected.put("lines=0-10", 200);
        expected.put("bytes=--5", 200);
        expected.put("bytes=0-" + "9".repeat(3_000), 206);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Answer a = send(("GET /images/photo.jpg HTTP/1.1\r\nHost: x\r\nRange: " + e.getKey() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(a.status()).as("Range: %s", e.getKey().length() > 60 ? e.getKey().substring(0, 60) + "..." : e.getKey())
                    .isEqualTo(e.getValue());
            if (a.status() == 200 || a.status() == 206 && e.getKey().startsWith("bytes=-")) {
                assertThat(a.bodyBytes()).as("the whole file for %s", e.getKey()).isEqualTo(photo);
            }
        }
    }

    @Test
    void aFirstLineThatIsNotHttp11GetsAClearAnswer() throws Exception {
        Answer old = send("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(old.status()).isEqualTo(505);
        assertThat(old.body()).contains("HTTP/1.1");
        for (String line : List.of("GARBAGE\r\n\r\n", "\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n",
                "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n")) {
            Answer a = send(line.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(a.status()).as("%s", a).isEqualTo(400);
            assertThat(a.body()).contains("not an HTTP/1.1 request line");
        }
    }

    @Test
    void aMalformedContentTypeOrAcceptIs400WithWordsNotTheParsersText() throws Exception {
        for (String header : List.of("Content-Type: multipart'form-data; boundary=b", "Accept: text/html;;q=x/y")) {
            Answer a = send(("POST /upload HTTP/1.1\r\nHost: x\r\n" + header + "\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(a.status()).as("%s: %s", header, a).isBetween(400, 499);
            assertThat(a.body()).as(header).doesNotContain("Exception");
        }
    }

    /**
     * Valid requests, each mutated a seeded way: bytes flipped, inserted, removed or repeated, lines cut or doubled,
     * lengths and boundaries wrong. Over 400 cases; whatever the server answers, it is never a 5xx, and nothing it
     * logs is a warning or a stack trace.
     */
    @Test
    void aSeededFuzzOfMalformedRequestLinesHeadersAndBodiesGetsNo5xxAndNoStackTrace() throws Exception {
        List<byte[]> seeds = seeds();
        Random random = new Random(20261206L);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int silent = 0;
        for (int i = 0; i < 420; i++) {
            byte[] request = mutate(seeds.get(i % seeds.size()), random);
            Answer a = send(request);
            if (a.status() < 0) {
                silent++;
            } else {
                statuses.merge(a.status(), 1, Integer::sum);
            }
            assertThat(a.status()).as("case %d: %s", i, printable(request)).isLessThan(500);
        }
        System.out.println("fuzz: " + statuses + ", no answer (connection closed before a status line) " + silent);
        assertThat(statuses.keySet()).as("the server answered most of them").isNotEmpty();

        HttpResponse<String> home = gallery.http.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        for (Map.Entry<String, byte[]> image : IMAGES.entrySet()) {
            assertThat(gallery.http.getBytes("/images/" + image.getKey()).body()).as(image.getKey() + " intact").isEqualTo(image.getValue());
        }
        // A mutation can leave an upload valid: it is stored under the fuzz's own name, and nothing else is.
        List<String> names = java.util.regex.Pattern.compile("\"name\":\"([^\"]+)\"")
                .matcher(gallery.http.get("/api/images?size=100").body()).results().map(m -> m.group(1)).toList();
        assertThat(names).containsAll(IMAGES.keySet());
        List<String> added = names.stream().filter(n -> !IMAGES.containsKey(n)).toList();
        assertThat(added).as("images stored by uploads the server accepted").allMatch(n -> n.matches("fuzz(-\\d+)?\\.png"));
        int accepted = statuses.getOrDefault(201, 0) + statuses.getOrDefault(303, 0);
        assertThat(added.size()).as("one or two per accepted upload (%d accepted)", accepted).isBetween(accepted, 2 * accepted);
    }

    private static List<byte[]> seeds() {
        byte[] png = TestImages.png(40, 30, 7);
        String boundary = "fuzzboundary";
        byte[] body = new Http.Multipart(boundary).file("fuzz.png", png).bytes();
        ByteArrayOutputStream upload = new ByteArrayOutputStream();
        upload.writeBytes(("POST /upload HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary="
                + boundary + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        upload.writeBytes(body);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunked.writeBytes(body);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return List.of(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "GET /api/images?page=2&size=50 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "GET /images/photo.jpg HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99\r\nIf-Range: \"x\"\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "HEAD /thumbs/red.png HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "OPTIONS /upload HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "DELETE /api/images/red.png HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                upload.toByteArray(),
                chunked.toByteArray());
    }

    /** One seeded mutation of a valid request. */
    private static byte[] mutate(byte[] seed, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = random.nextInt(seed.length);
        switch (random.nextInt(10)) {
            case 0 -> { // flip a few bytes
                byte[] b = seed.clone();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> { // insert random bytes
                out.write(seed, 0, at);
                byte[] junk = new byte[1 + random.nextInt(40)];
                random.nextBytes(junk);
                out.writeBytes(junk);
                out.write(seed, at, seed.length - at);
            }
            case 2 -> { // remove a span
                int to = Math.min(seed.length, at + 1 + random.nextInt(30));
                out.write(seed, 0, at);
                out.write(seed, to, seed.length - to);
            }
            case 3 -> out.write(seed, 0, at); // cut short (the client then closes its side)
            case 4 -> { // a line ending made bare LF or bare CR
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                s = s.replaceFirst("\r\n", random.nextBoolean() ? "\n" : "\r");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            case 5 -> { // a header without its colon, or with a space before it
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                s = s.replaceFirst("Host: x", random.nextBoolean() ? "Host x" : "Host : x");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            case 6 -> { // a wrong or absurd length
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                String[] lengths = {"-1", "abc", "99999999999999999999", "0", "5", "1e3", " 12 ", "12, 13"};
                s = s.contains("Content-Length: ") ? s.replaceFirst("Content-Length: \\d+", "Content-Length: " + lengths[random.nextInt(lengths.length)])
                        : s.replaceFirst("\r\n\r\n", "\r\nContent-Length: " + lengths[random.nextInt(lengths.length)] + "\r\n\r\n");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            case 7 -> { // a broken multipart boundary or chunk size
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                s = random.nextBoolean() ? s.replace("--fuzzboundary", "--other") : s.replaceFirst("\r\n([0-9a-f]+)\r\n", "\r\nzz$1\r\n");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            case 8 -> { // a header repeated many times, or a control character in a value
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                s = random.nextBoolean() ? s.replaceFirst("Host: x\r\n", "Host: x\r\n" + "Host: y\r\n".repeat(1 + random.nextInt(50)))
                        : s.replaceFirst("Host: x", "Host: x\u0000\u0007");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
            default -> { // a path or a method of odd bytes
                String s = new String(seed, StandardCharsets.ISO_8859_1);
                String[] odd = {"/%zz", "/../../etc/passwd", "/images/%00", "*", "http://x/", "/images/" + "%2e".repeat(30), "/\u00ff\u00fe"};
                s = random.nextBoolean() ? s.replaceFirst(" /[^ ]*", " " + odd[random.nextInt(odd.length)])
                        : s.replaceFirst("^[A-Z]+", random.nextBoolean() ? "G@T" : "PROPFIND");
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    /** A status (or -1 when the connection closed without one) and the body. */
    record Answer(int status, String head, byte[] bodyBytes) {
        String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + head.lines().findFirst().orElse("") + " / " + body().strip();
        }
    }

    static Answer send(byte[] request) throws IOException {
        return send(request, 1);
    }

    /**
     * Sends the bytes over a new connection, half-closes it (so a server waiting for more sees the end), and reads the
     * {@code nth} answer: its status line, headers and body (by Content-Length, or to the close).
     */
    static Answer send(byte[] request, int nth) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gallery.server.port())) {
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (IOException refusedMidway) {
                // the server answered and closed before taking everything: read what it said
            }
            InputStream in = s.getInputStream();
            Answer a = null;
            for (int i = 0; i < nth; i++) {
                a = readAnswer(in);
                if (a.status() < 0) {
                    return a;
                }
            }
            return a;
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        try {
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), new byte[0]);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        long length = text.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l -> Long.parseLong(l.substring(15).strip())).findFirst().orElse(-1L);
        byte[] body;
        try {
            body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        } catch (SocketTimeoutException | java.net.SocketException e) {
            body = new byte[0];
        }
        return new Answer(status, text, body);
    }

    private static String printable(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n").replaceAll("[^\\x20-\\x7e\\\\]", "?");
    }
}
