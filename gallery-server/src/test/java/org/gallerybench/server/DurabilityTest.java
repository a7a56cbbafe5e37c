package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
    @TempDir
    Path dir;
    RunningGallery gallery;

    @BeforeEach
    void start() {
        gallery = new RunningGallery(dir);
    }

    @AfterEach
    void stop() {
        gallery.close();
    }

    @Test
    void fiftyConcurrentUploadsOfTheSameNameAllLand() throws Exception {
        int n = 50;
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(TestImages.jpeg(400 + i, 300, i));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (byte[] image : images) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return gallery.http.upload(Http.form().file("same.jpg", image), "Accept", "application/json");
                }, pool));
            }
            go.countDown();
        }

        Set<String> names = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> r : results) {
            HttpResponse<String> res = r.join();
            assertThat(res.statusCode()).isEqualTo(201);
            names.add(UploadTest.json(res.body()).getJsonArray("images").getJsonObject(0).getString("name"));
        }
        assertThat(names).hasSize(n);
        assertThat(gallery.filesOnDisk()).hasSize(n).allSatisfy(f -> assertThat(f).matches("same(-\\d+)?\\.jpg"));
        assertThat(UploadTest.json(gallery.http.get("/api/images?size=100").body()).getInt("total")).isEqualTo(n);
        // Each stored file is one of the uploads, whole, and no upload was stored twice.
        Set<Integer> widths = new HashSet<>();
        for (String name : names) {
            byte[] stored = Files.readAllBytes(dir.resolve(name));
            int index = indexOf(images, stored);
            assertThat(index).as(name + " is one of the uploads, byte for byte").isNotNegative();
            widths.add(index);
        }
        assertThat(widths).hasSize(n);
    }

    @Test
    void imagesSurviveARestart() {
        gallery.http.upload(Http.form().file("keep.png", TestImages.png(64, 48, 1)).file("also.jpg", TestImages.jpeg(20, 20, 2)));
        String before = gallery.http.get("/api/images").body();

        gallery.restart();

        JsonObject after = UploadTest.json(gallery.http.get("/api/images").body());
        assertThat(after.getInt("total")).isEqualTo(2);
        assertThat(gallery.http.get("/images/keep.png").statusCode()).isEqualTo(200);
        JsonObject keep = UploadTest.json(gallery.http.get("/api/images/keep.png").body());
        assertThat(keep.getInt("width")).isEqualTo(64);
        assertThat(before).contains("keep.png").contains("also.jpg");
        assertThat(gallery.http.get("/").body()).contains("keep.png").contains("also.jpg");
    }

    @Test
    void imagesCopiedIntoTheDirectoryByHandAppear() throws Exception {
        Files.write(dir.resolve("byhand.gif"), TestImages.gif(40, 40, 3));
        Files.write(dir.resolve("readme.txt"), "not an image".getBytes());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!gallery.http.get("/").body().contains("byhand.gif") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gallery.http.get("/").body()).contains("byhand.gif").doesNotContain("readme.txt");
        assertThat(gallery.http.get("/thumbs/byhand.gif").statusCode()).isEqualTo(200);
        assertThat(UploadTest.json(gallery.http.get("/api/images/byhand.gif").body()).getInt("width")).isEqualTo(40);

        gallery.restart();
        assertThat(gallery.http.get("/").body()).contains("byhand.gif");
    }

    @Test
    void leftoversOfAnInterruptedUploadAreRemovedAtStartAndNeverListed() throws Exception {
        gallery.close();
        Files.write(dir.resolve(".upload-crashed.part"), TestImages.png(10, 10, 1));
        gallery.start();

        assertThat(gallery.filesOnDisk()).isEmpty();
        assertThat(gallery.http.get("/").body()).contains("No images yet.");
    }

    private static int indexOf(List<byte[]> images, byte[] stored) {
        for (int i = 0; i < images.size(); i++) {
            if (java.util.Arrays.equals(images.get(i), stored)) {
                return i;
            }
        }
        return -1;
    }
}
