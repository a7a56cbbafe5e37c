package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the upload folder is a 600 KiB tmpfs (as the report had it), and 120 KB images
 * are uploaded until one no longer fits. That one gets 507 with words a user can act on, and leaves nothing behind:
 * no image, no thumbnail, no temporary file, no index entry, no duplicate when the client retries. /health says
 * not ready while the disk is full and ready again, by itself, once space is freed; then uploads work again.
 * Needs root, for mount; CI runs as root.
 */
class DiskFullTest {
    @TempDir
    Path temp;
    Path store;
    RunningGallery gallery;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        store = temp.resolve("store");
        Files.createDirectories(store);
        run("mount", "-t", "tmpfs", "-o", "size=600k,mode=0755", "gallerybench-test-full", store.toString());
        gallery = new RunningGallery(store);
    }

    @AfterEach
    void unmount() throws Exception {
        if (gallery != null) {
            gallery.close();
        }
        run("umount", store.toString());
    }

    @Test
    void anUploadThatDoesNotFitGets507AndLeavesNothingBehindThenTheStoreRecovers() throws Exception {
        List<String> stored = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            HttpResponse<String> r = gallery.http.upload(Http.form().file("photo-" + i + ".png", TestImages.pngOfSize(120_000, i)),
                    "Accept", "application/json");
            if (r.statusCode() == 201) {
                stored.add("photo-" + i + ".png");
            } else {
                refused = r;
            }
        }
        assertThat(stored).as("some uploads fit on the 600 KiB disk").hasSizeBetween(2, 5);
        assertThat(refused).as("an upload is refused once the disk is full").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(507);
        assertThat(refused.body()).contains("disk is full").contains("Nothing of this upload was kept")
                .doesNotContain("Exception").doesNotContain("No space left");
        assertConsistent(stored);

        // A browser's form post gets the gallery's error page, with the same words.
        HttpResponse<String> page = gallery.http.upload(Http.form().file("again.png", TestImages.pngOfSize(120_000, 99)));
        assertThat(page.statusCode()).isEqualTo(507);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("disk is full");
        // A client that retries makes no duplicate and no leftovers.
        for (int i = 0; i < 3; i++) {
            assertThat(gallery.http.upload(Http.form().file("retry.png", TestImages.pngOfSize(120_000, 7)), "Accept",
                    "application/json").statusCode()).isEqualTo(507);
        }
        assertConsistent(stored);

        HttpResponse<String> health = gallery.http.get("/health");
        assertThat(health.statusCode()).as("not ready while the disk is full: " + health.body()).isEqualTo(503);
        assertThat(health.body()).contains("is full");
        // Pages and images are still served.
        assertThat(gallery.http.get("/").statusCode()).isEqualTo(200);
        assertThat(gallery.http.getBytes("/images/" + stored.getFirst()).statusCode()).isEqualTo(200);

        // Space returns (an operator removes two images): ready again by itself, and uploads work.
        for (String name : stored.subList(0, 2)) {
            Files.delete(store.resolve(name));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((gallery.http.get("/health").statusCode() != 200
                || !gallery.http.get("/api/images").body().contains("\"total\":" + (stored.size() - 2)))
                && System.nanoTime() < deadline) {
            Thread.sleep(100); // the index notices files removed by hand within half a second
        }
        assertThat(gallery.http.get("/health").statusCode()).as("ready once space is freed").isEqualTo(200);
        HttpResponse<String> after = gallery.http.upload(Http.form().file("after.png", TestImages.pngOfSize(120_000, 42)),
                "Accept", "application/json");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        List<String> now = new ArrayList<>(stored.subList(2, stored.size()));
        now.add("after.png");
        assertConsistent(now);
    }

    @Test
    void aMultiFileUploadIsStoredWholeOrNotAtAll() throws Exception {
        // Two images fit, the third of one request does not: none of the three is kept.
        HttpResponse<String> r = gallery.http.upload(Http.form()
                .file("a.png", TestImages.pngOfSize(200_000, 1))
                .file("b.png", TestImages.pngOfSize(200_000, 2))
                .file("c.png", TestImages.pngOfSize(200_000, 3)), "Accept", "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
        assertConsistent(List.of());
        // One image alone still fits.
        assertThat(gallery.http.upload(Http.form().file("a.png", TestImages.pngOfSize(200_000, 1)), "Accept", "application/json")
                .statusCode()).isEqualTo(201);
        assertConsistent(List.of("a.png"));
    }

    /** The folder holds exactly these images, each with one thumbnail, nothing hidden, and the index lists them. */
    private void assertConsistent(List<String> images) throws IOException {
        assertThat(gallery.filesOnDisk()).as("files in the upload folder").containsExactlyInAnyOrderElementsOf(images);
        try (Stream<Path> thumbs = Files.list(store.resolve(".thumbs"))) {
            List<String> names = thumbs.map(p -> p.getFileName().toString()).toList();
            assertThat(names).as("thumbnails").hasSize(images.size())
                    .allSatisfy(t -> assertThat(images).contains(t.substring(0, t.lastIndexOf('.'))));
        }
        String list = gallery.http.get("/api/images?size=100").body();
        for (String name : images) {
            assertThat(list).contains("\"" + name + "\"");
        }
        assertThat(list).contains("\"total\":" + images.size());
    }

    private static void run(String... command) throws Exception {
        TestProcesses.run(java.time.Duration.ofMinutes(1), command);
    }
}
