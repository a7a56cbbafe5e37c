package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadTest {
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
    void browserUploadRedirectsToTheGalleryWhichShowsTheImage() {
        HttpResponse<String> res = gallery.http.upload(Http.form().file("sunset.png", TestImages.png(800, 600, 1)));

        assertThat(res.statusCode()).isEqualTo(303);
        assertThat(res.headers().firstValue("Location")).contains("/");
        assertThat(gallery.http.get("/").body()).contains("/images/sunset.png").contains("/thumbs/sunset.png?v=");
        assertThat(dir.resolve("sunset.png")).exists();
    }

    @Test
    void jsonClientsGet201WithTheStoredImages() {
        HttpResponse<String> res = gallery.http.upload(Http.form()
                        .file("one.png", TestImages.png(100, 50, 1))
                        .file("two.jpg", TestImages.jpeg(640, 480, 2))
                        .file("three.gif", TestImages.gif(20, 30, 3))
                        .file("four.webp", TestImages.webp()),
                "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonArray images = json(res.body()).getJsonArray("images");
        assertThat(images).hasSize(4);
        assertThat(images.getJsonObject(0).getString("name")).isEqualTo("one.png");
        assertThat(images.getJsonObject(0).getInt("width")).isEqualTo(100);
        assertThat(images.getJsonObject(0).getInt("height")).isEqualTo(50);
        assertThat(images.getJsonObject(1).getString("contentType")).isEqualTo("image/jpeg");
        assertThat(images.getJsonObject(2).getString("contentType")).isEqualTo("image/gif");
        assertThat(images.getJsonObject(3).getString("contentType")).isEqualTo("image/webp");
        assertThat(images.getJsonObject(3).getInt("width")).isEqualTo(40);
        assertThat(res.headers().firstValue("Location")).contains("/api/images/one.png");
    }

    @Test
    void theContentDecidesTheTypeAndTheStoredExtensionMatchesIt() {
        HttpResponse<String> res = gallery.http.upload(Http.form()
                .file("holiday.jpg", TestImages.png(10, 10, 1))
                .file("scan.txt", TestImages.jpeg(10, 10, 2)), "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(201);
        JsonArray images = json(res.body()).getJsonArray("images");
        assertThat(images.getJsonObject(0).getString("name")).isEqualTo("holiday.png");
        assertThat(images.getJsonObject(0).getString("contentType")).isEqualTo("image/png");
        assertThat(images.getJsonObject(1).getString("name")).isEqualTo("scan.jpg");
        assertThat(gallery.http.get("/images/holiday.png").headers().firstValue("Content-Type")).contains("image/png");
    }

    @Test
    void theSameNameTwiceGetsTwoUniqueNamesAndNothingIsOverwritten() {
        byte[] first = TestImages.png(10, 10, 1);
        byte[] second = TestImages.png(12, 12, 2);
        gallery.http.upload(Http.form().file("cat.png", first));
        gallery.http.upload(Http.form().file("cat.png", second));

        assertThat(gallery.filesOnDisk()).containsExactly("cat-1.png", "cat.png");
        assertThat(gallery.http.getBytes("/images/cat.png").body()).isEqualTo(first);
        assertThat(gallery.http.getBytes("/images/cat-1.png").body()).isEqualTo(second);
    }

    @Test
    void namesAreMadeSafe() {
        HttpResponse<String> res = gallery.http.upload(Http.form()
                        .file("../../etc/evil.png", TestImages.png(8, 8, 1))
                        .file("..\\..\\windows\\win.png", TestImages.png(8, 8, 2))
                        .file(".hidden.png", TestImages.png(8, 8, 3))
                        .file("tab\there\u0001.png", TestImages.png(8, 8, 4))
                        .file("x".repeat(400) + ".png", TestImages.png(8, 8, 5))
                        .file("<script>alert(1)</script>.png", TestImages.png(8, 8, 6))
                        .file(".png", TestImages.png(8, 8, 7)),
                "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(201);
        var names = json(res.body()).getJsonArray("images").getValuesAs(JsonObject.class).stream()
                .map(o -> o.getString("name")).toList();
        assertThat(names.get(0)).isEqualTo("evil.png");
        assertThat(names.get(1)).isEqualTo("win.png");
        assertThat(names.get(2)).isEqualTo("hidden.png");
        assertThat(names.get(3)).isEqualTo("tab-here.png");
        assertThat(names.get(4)).hasSizeLessThanOrEqualTo(SafeNames.MAX_BASE_BYTES + 4).startsWith("xxxx").endsWith(".png");
        assertThat(names.get(5)).isEqualTo("script.png"); // everything up to the last slash is a path
        assertThat(names.get(6)).isEqualTo("png.png"); // a dot file: its name is "png"
        assertThat(names).allSatisfy(n -> assertThat(n).doesNotStartWith(".").doesNotContain("/", "\\", "<", "\t"));
        assertThat(Files.exists(dir.getParent().resolve("etc"))).isFalse();
    }

    @Test
    void otherFormFieldsAreIgnored() {
        HttpResponse<String> res = gallery.http.upload(Http.form()
                .field("caption", "ignored")
                .file("pic.png", TestImages.png(10, 10, 1)), "Accept", "application/json");

        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(json(res.body()).getJsonArray("images")).hasSize(1);
    }

    @Test
    void theUploadFormIsServedAtUploadAndOnTheGalleryPage() {
        HttpResponse<String> form = gallery.http.get("/upload");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("enctype=\"multipart/form-data\"").contains("name=\"file\"").contains("multiple");
        assertThat(gallery.http.get("/").body()).contains("action=\"/upload\"").contains("name=\"file\"");
    }

    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
