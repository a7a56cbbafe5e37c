package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageServingTest {
    @TempDir
    static Path dir;
    static RunningGallery gallery;
    static byte[] photo = TestImages.jpeg(1600, 1200, 5);
    static byte[] logo = TestImages.png(200, 800, 6);

    @BeforeAll
    static void start() {
        gallery = new RunningGallery(dir);
        gallery.http.upload(Http.form().file("photo.jpg", photo).file("logo.png", logo).file("anim.gif", TestImages.gif(30, 30, 1))
                .file("pic.webp", TestImages.webp()));
    }

    @AfterAll
    static void stop() {
        gallery.close();
    }

    @Test
    void imagesAreServedAtBothPathsWithTheRightTypeAndValidators() {
        for (String path : new String[] {"/images/photo.jpg", "/static/uploads/photo.jpg"}) {
            HttpResponse<byte[]> res = gallery.http.getBytes(path);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(photo);
            assertThat(res.headers().firstValue("Content-Type")).contains("image/jpeg");
            assertThat(res.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).startsWith("\""));
            assertThat(res.headers().firstValue("Last-Modified")).hasValueSatisfying(d -> assertThat(d).endsWith("GMT"));
        }
        assertThat(gallery.http.getBytes("/images/logo.png").headers().firstValue("Content-Type")).contains("image/png");
        assertThat(gallery.http.getBytes("/images/anim.gif").headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(gallery.http.getBytes("/images/pic.webp").headers().firstValue("Content-Type")).contains("image/webp");
    }

    @Test
    void conditionalRequestsGet304() {
        HttpResponse<byte[]> first = gallery.http.getBytes("/images/photo.jpg");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<byte[]> byTag = gallery.http.getBytes("/images/photo.jpg", "If-None-Match", etag);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(gallery.http.getBytes("/images/photo.jpg", "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(gallery.http.getBytes("/images/photo.jpg", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(gallery.http.getBytes("/images/photo.jpg", "If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT").statusCode())
                .isEqualTo(200);
    }

    @Test
    void thumbnailsAreAtMost320PixelsOnTheLongSideAndCachedForAYear() {
        for (String name : new String[] {"photo.jpg", "logo.png", "anim.gif", "pic.webp"}) {
            HttpResponse<byte[]> res = gallery.http.getBytes("/thumbs/" + name);
            assertThat(res.statusCode()).as(name).isEqualTo(200);
            assertThat(res.headers().firstValue("Cache-Control")).as(name).contains("public, max-age=31536000, immutable");
            BufferedImage thumb = TestImages.decode(res.body());
            assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).as(name).isLessThanOrEqualTo(320);
        }
        BufferedImage photoThumb = TestImages.decode(gallery.http.getBytes("/thumbs/photo.jpg").body());
        assertThat(photoThumb.getWidth()).isEqualTo(320);
        assertThat(photoThumb.getHeight()).isEqualTo(240);
        BufferedImage logoThumb = TestImages.decode(gallery.http.getBytes("/thumbs/logo.png").body());
        assertThat(logoThumb.getHeight()).isEqualTo(320);
        assertThat(logoThumb.getColorModel().hasAlpha()).as("transparency kept").isTrue();
    }

    @Test
    void thumbnailsAreMadeOnceAtUpload() {
        assertThat(dir.resolve(".thumbs/photo.jpg.jpg")).exists();
        assertThat(dir.resolve(".thumbs/logo.png.png")).exists();
    }
}
