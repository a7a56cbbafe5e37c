package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9110 on every route, over real HTTP: HEAD as GET without a body (checked with curl, and on one keep-alive
 * connection so that a stray body would show as garbage before the next answer), 405 with Allow, OPTIONS, byte
 * ranges (206, 416, If-Range) with curl and the JDK client, and Content-Length on fixed-length answers.
 */
class HttpSemanticsTest {
    static final List<String> GET_ROUTES = List.of("/", "/upload", "/api/images", "/api/images/photo.jpg", "/images/photo.jpg",
            "/static/uploads/photo.jpg", "/thumbs/photo.jpg");

    @TempDir
    static Path dir;
    static RunningGallery gallery;
    static byte[] photo = TestImages.jpeg(1600, 1200, 5);
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gallery = new RunningGallery(dir);
        for (int i = 0; i < 30; i++) { // a gallery of some size, not one image
            gallery.http.upload(Http.form().file("extra-" + i + ".png", TestImages.png(40 + i, 30, i)));
        }
        gallery.http.upload(Http.form().file("photo.jpg", photo));
    }

    @AfterAll
    static void stop() {
        gallery.close();
    }

    @Test
    void headAnswersWhereGetDoesWithTheSameStatusAndHeadersAndNoBody() throws Exception {
        for (String path : GET_ROUTES) {
            HttpResponse<byte[]> get = send("GET", path);
            HttpResponse<byte[]> head = send("HEAD", path);
            assertThat(get.statusCode()).as(path).isEqualTo(200);
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            for (String header : List.of("content-type", "content-length", "etag", "last-modified", "cache-control", "accept-ranges")) {
                assertThat(head.headers().firstValue(header)).as(path + " " + header).isEqualTo(get.headers().firstValue(header));
            }
            assertThat(head.headers().firstValueAsLong("content-length")).as(path).hasValue(get.body().length);
        }
        // curl -I, as link checkers and monitors send it.
        String curl = run("curl", "-sS", "-I", gallery.server.uri().resolve("/images/photo.jpg").toString());
        assertThat(curl).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: " + photo.length)
                .containsIgnoringCase("content-type: image/jpeg");
        // A missing image: 404 to HEAD as to GET, without a body.
        HttpResponse<byte[]> missing = send("HEAD", "/images/missing.png");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    /** HEAD then GET on one keep-alive connection: the GET's answer comes right after HEAD's headers, nothing between. */
    @Test
    void aHeadLeavesNothingOnTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gallery.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("HEAD /images/photo.jpg HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/images/photo.jpg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String all = readUntil(s.getInputStream(), "\"name\":\"photo.jpg\"");
            String[] answers = all.split("(?=HTTP/1\\.1 )");
            assertThat(answers).as(all).hasSize(3);
            assertThat(answers[0]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
            assertThat(answers[1]).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
            assertThat(answers[2]).startsWith("HTTP/1.1 200").contains("\"name\":\"photo.jpg\"");
        }
    }

    @Test
    void aMethodARouteDoesNotServeGets405WithAllow() throws Exception {
        record Case(String method, String path, String allow) {
        }
        for (Case c : List.of(new Case("POST", "/", "GET, HEAD, OPTIONS"), new Case("DELETE", "/images/photo.jpg", "GET, HEAD, OPTIONS"),
                new Case("PUT", "/upload", "GET, HEAD, POST, OPTIONS"), new Case("PATCH", "/api/images", "GET, HEAD, OPTIONS"),
                new Case("DELETE", "/thumbs/photo.jpg", "GET, HEAD, OPTIONS"), new Case("POST", "/api/images/photo.jpg", "GET, HEAD, OPTIONS"))) {
            HttpResponse<byte[]> res = send(c.method(), c.path());
            assertThat(res.statusCode()).as(c.toString()).isEqualTo(405);
            assertThat(res.headers().firstValue("allow")).as(c.toString()).hasValue(c.allow());
            assertThat(new String(res.body(), StandardCharsets.UTF_8)).as(c.toString()).contains("is not served at");
        }
        HttpResponse<byte[]> options = send("OPTIONS", "/upload");
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("allow")).hasValue("GET, HEAD, POST, OPTIONS");
        assertThat(send("DELETE", "/no/such/page").statusCode()).as("a path nothing serves is still 404").isEqualTo(404);
        assertThat(gallery.http.get("/api/images").body()).as("nothing was changed").contains("\"total\":31");
    }

    @Test
    void oneByteRangeGets206AndAnUnsatisfiableOne416() throws Exception {
        HttpResponse<byte[]> first = send("GET", "/images/photo.jpg", "Range", "bytes=0-99");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(photo, 0, 100));
        assertThat(first.headers().firstValue("content-range")).hasValue("bytes 0-99/" + photo.length);
        assertThat(first.headers().firstValueAsLong("content-length")).hasValue(100);

        HttpResponse<byte[]> tail = send("GET", "/images/photo.jpg", "Range", "bytes=-500");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(photo, photo.length - 500, photo.length));
        HttpResponse<byte[]> open = send("GET", "/images/photo.jpg", "Range", "bytes=1000-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(photo, 1000, photo.length));

        HttpResponse<byte[]> past = send("GET", "/images/photo.jpg", "Range", "bytes=" + photo.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("content-range")).hasValue("bytes */" + photo.length);

        // If-Range with another validator: the whole file; with the right one: the range.
        String etag = send("HEAD", "/images/photo.jpg").headers().firstValue("etag").orElseThrow();
        assertThat(send("GET", "/images/photo.jpg", "Range", "bytes=0-9", "If-Range", "\"old\"").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/images/photo.jpg", "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);

        // curl -r, as a player or a resuming download asks.
        Path part = dir.resolve("part.bin");
        String curl = run("curl", "-sS", "-r", "100-199", "-o", part.toString(), "-w", "%{http_code}", gallery.server.uri().resolve("/images/photo.jpg").toString());
        assertThat(curl).isEqualTo("206");
        assertThat(java.nio.file.Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(photo, 100, 200));
    }

    @Test
    void fixedLengthAnswersCarryContentLength() throws Exception {
        for (String path : GET_ROUTES) {
            HttpResponse<byte[]> res = send("GET", path);
            assertThat(res.headers().firstValueAsLong("content-length")).as(path).hasValue(res.body().length);
            assertThat(res.headers().firstValue("transfer-encoding")).as(path).isEmpty();
        }
        HttpResponse<byte[]> missing = send("GET", "/nothing-here");
        assertThat(missing.headers().firstValueAsLong("content-length")).hasValue(missing.body().length);
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gallery.server.uri().resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Reads the connection until {@code marker} arrives (the last answer's body); the socket's timeout bounds it. */
    private static String readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while (!out.toString(StandardCharsets.ISO_8859_1).contains(marker) && (n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String run(String... command) throws Exception {
        return TestProcesses.run(java.time.Duration.ofSeconds(30), command);
    }
}
