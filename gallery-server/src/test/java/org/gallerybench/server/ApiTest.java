package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTest {
    @TempDir
    static Path dir;
    static RunningGallery gallery;

    @BeforeAll
    static void start() throws Exception {
        gallery = new RunningGallery(dir);
        for (int i = 0; i < 5; i++) {
            gallery.http.upload(Http.form().file("a" + i + ".png", TestImages.png(30 + i, 20, i)));
            Thread.sleep(3);
        }
    }

    @AfterAll
    static void stop() {
        gallery.close();
    }

    @Test
    void theListIsPaginatedNewestFirst() {
        JsonObject page1 = UploadTest.json(gallery.http.get("/api/images?size=2").body());
        assertThat(page1.getInt("total")).isEqualTo(5);
        assertThat(page1.getInt("pages")).isEqualTo(3);
        assertThat(page1.getInt("pageSize")).isEqualTo(2);
        assertThat(page1.getJsonArray("images")).hasSize(2);
        assertThat(page1.getJsonArray("images").getJsonObject(0).getString("name")).isEqualTo("a4.png");
        assertThat(page1.getString("next")).isEqualTo("/api/images?page=2&size=2");
        assertThat(page1.containsKey("previous")).isFalse();

        JsonObject page3 = UploadTest.json(gallery.http.get(page1.getString("next").replace("page=2", "page=3")).body());
        assertThat(page3.getJsonArray("images")).hasSize(1);
        assertThat(page3.getJsonArray("images").getJsonObject(0).getString("name")).isEqualTo("a0.png");
        assertThat(page3.containsKey("next")).isFalse();
    }

    @Test
    void eachEntryDescribesTheImage() {
        JsonObject entry = UploadTest.json(gallery.http.get("/api/images/a2.png").body());
        assertThat(entry.getString("name")).isEqualTo("a2.png");
        assertThat(entry.getString("url")).isEqualTo("/images/a2.png");
        assertThat(entry.getString("legacyUrl")).isEqualTo("/static/uploads/a2.png");
        assertThat(entry.getString("thumbnailUrl")).startsWith("/thumbs/a2.png?v=");
        assertThat(entry.getJsonNumber("bytes").longValue()).isEqualTo(dir.resolve("a2.png").toFile().length());
        assertThat(entry.getString("contentType")).isEqualTo("image/png");
        assertThat(entry.getInt("width")).isEqualTo(32);
        assertThat(entry.getInt("height")).isEqualTo(20);
        assertThat(Instant.parse(entry.getString("uploadedAt"))).isBeforeOrEqualTo(Instant.now());
        assertThat(gallery.http.get("/api/images").body()).contains("\"name\":\"a2.png\"");
    }
}
