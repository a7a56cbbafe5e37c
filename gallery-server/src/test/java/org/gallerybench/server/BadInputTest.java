package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear answer, and nothing partial is ever stored or listed. */
class BadInputTest {
    static final int LIMIT = 64 * 1024;

    @TempDir
    java.nio.file.Path dir;
    RunningGallery gallery;

    @BeforeEach
    void start() {
        gallery = new RunningGallery(dir, Map.of("GALLERY_MAX_UPLOAD_BYTES", Integer.toString(LIMIT)));
    }

    @AfterEach
    void stop() {
        gallery.close();
    }

    @Test
    void aFileThatIsNotAnImageGets415NamingTheAcceptedTypes() {
        HttpResponse<String> res = gallery.http.upload(Http.form().file("notes.png", "just text".getBytes(StandardCharsets.UTF_8)));

        assertThat(res.statusCode()).isEqualTo(415);
        assertThat(res.body()).contains("PNG, JPEG, GIF and WebP").contains("<html");
        assertNothingStored();
    }

    @Test
    void aFileThatOnlyStartsLikeAnImageIsRefusedToo() {
        byte[] fake = Arrays.copyOf(TestImages.png(100, 100, 1), 60);
        HttpResponse<String> res = gallery.http.upload(Http.form().file("broken.png", fake), "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(415);
        assertThat(res.body()).contains("\"status\":415").contains("cannot be decoded");
        assertNothingStored();
    }

    @Test
    void noFileGets400() {
        HttpResponse<String> res = gallery.http.upload(Http.form().field("caption", "no file here"), "Accept", "application/json");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("No file was uploaded");

        HttpResponse<String> browser = gallery.http.upload(Http.form().file("", new byte[0]));
        assertThat(browser.statusCode()).isEqualTo(400);
        assertThat(browser.body()).contains("No file was uploaded").contains("class=\"panel error\"");
        assertNothingStored();
    }

    @Test
    void anEmptyFileGets400() {
        HttpResponse<String> res = gallery.http.upload(Http.form().file("empty.png", new byte[0]), "Accept", "application/json");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("empty");
        assertNothingStored();
    }

    @Test
    void notMultipartGets400() {
        HttpResponse<String> res = gallery.http.post("/upload", "image/png", TestImages.png(10, 10, 1), "Accept", "application/json");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("multipart/form-data");
    }

    @Test
    void aFileOverTheLimitGets413AndLeavesNothingBehind() {
        byte[] big = TestImages.pngOfSize(LIMIT * 2, 7);
        assertThat(big.length).isGreaterThan(LIMIT);

        HttpResponse<String> res = gallery.http.upload(Http.form().file("big.png", big), "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(res.body()).contains("64 KiB");
        assertNothingStored();
    }

    @Test
    void oneBadFileInAMultiFileUploadStoresNoneOfThem() {
        HttpResponse<String> res = gallery.http.upload(Http.form()
                .file("good.png", TestImages.png(10, 10, 1))
                .file("bad.png", "text".getBytes(StandardCharsets.UTF_8)), "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(415);
        assertNothingStored();
    }

    @Test
    void aCutConnectionLeavesNoHalfImage() throws Exception {
        byte[] image = TestImages.pngOfSize(LIMIT / 2, 3);
        String boundary = "cut-" + System.nanoTime();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.png\"\r\n\r\n";
        int declared = head.length() + image.length + 64;
        try (Socket socket = new Socket("127.0.0.1", gallery.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=" + boundary
                    + "\r\nContent-Length: " + declared + "\r\n\r\n" + head).getBytes(StandardCharsets.UTF_8));
            out.write(image, 0, image.length / 2);
            out.flush();
        }
        // The server notices the cut on its own thread: wait until it has cleaned up, then check.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!gallery.filesOnDisk().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertNothingStored();
    }

    @Test
    void requestsForAnythingButAStoredImageGet404() throws Exception {
        gallery.http.upload(Http.form().file("real.png", TestImages.png(10, 10, 1)));
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not an image");

        for (String path : new String[] {"/images/missing.png", "/images/..%2F..%2Fetc%2Fpasswd", "/static/uploads/..%2Fnotes.txt",
                "/images/notes.txt", "/images/.thumbs", "/thumbs/notes.txt", "/images/%2E%2E", "/api/images/missing.png", "/nope"}) {
            HttpResponse<String> res = gallery.http.get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(404);
        }
        assertThat(rawRequestStatus("GET /images/../../../../etc/passwd HTTP/1.1")).isIn(400, 404);
        assertThat(gallery.http.get("/images/real.png").statusCode()).isEqualTo(200);
    }

    @Test
    void errorsAreGalleryPagesForBrowsersAndJsonForApiClients() {
        HttpResponse<String> page = gallery.http.get("/images/missing.png", "Accept", "text/html");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("404 · Not Found").contains("Back to the gallery").contains("missing.png");

        HttpResponse<String> json = gallery.http.get("/images/missing.png", "Accept", "application/json");
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(UploadTest.json(json.body()).getInt("status")).isEqualTo(404);

        HttpResponse<String> api = gallery.http.get("/api/images/missing.png");
        assertThat(UploadTest.json(api.body()).getString("message")).contains("missing.png");
    }

    @Test
    void aBadPageNumberGets400() {
        assertThat(gallery.http.get("/?page=0").statusCode()).isEqualTo(400);
        assertThat(gallery.http.get("/?page=abc").body()).contains("whole number");
        assertThat(gallery.http.get("/api/images?size=100000").statusCode()).isEqualTo(400);
        // An API page lists at most 100 images (a bound of the heap's): past it, 400 with what to send.
        HttpResponse<String> tooMany = gallery.http.get("/api/images?size=101");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(UploadTest.json(tooMany.body()).getString("message")).contains("from 1 to 100");
        assertThat(gallery.http.get("/api/images?size=100").statusCode()).isEqualTo(200);
    }

    private int rawRequestStatus(String requestLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gallery.server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private void assertNothingStored() {
        assertThat(gallery.filesOnDisk()).as("files in the upload directory").isEmpty();
        assertThat(UploadTest.json(gallery.http.get("/api/images").body()).getInt("total")).isZero();
        assertThat(gallery.http.get("/").body()).contains("No images yet.");
    }
}
