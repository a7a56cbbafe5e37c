package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryPageTest {
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
    void anEmptyGallerySaysSo() {
        var res = gallery.http.get("/");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(res.body()).contains("No images yet.").doesNotContain("<script");
    }

    @Test
    void theGridShowsThumbnailsNewestFirstEachLinkingToTheFullImage() throws Exception {
        for (int i = 1; i <= 3; i++) {
            gallery.http.upload(Http.form().file("photo" + i + ".png", TestImages.png(50, 50, i)));
            Thread.sleep(5);
        }
        String html = gallery.http.get("/").body();

        assertThat(order(html, "photo3.png", "photo2.png", "photo1.png")).isTrue();
        assertThat(html).contains("<a href=\"/images/photo1.png\"").contains("<img src=\"/thumbs/photo1.png?v=")
                .contains("3 images").contains("50 × 50");
    }

    @Test
    void pagesHold60ImagesWithNextAndPreviousLinks() throws Exception {
        byte[] png = TestImages.png(16, 16, 1);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 125; i++) {
            Path file = dir.resolve(String.format("img%03d.png", i));
            Files.write(file, png);
            Files.setLastModifiedTime(file, FileTime.from(base.plusSeconds(i)));
        }
        gallery.restart();

        String first = gallery.http.get("/").body();
        assertThat(count(first, "<li>")).isEqualTo(60);
        assertThat(first).contains("img124.png").doesNotContain("img064.png").contains("href=\"/?page=2\"")
                .doesNotContain("rel=\"prev\"").contains("Page 1 of 3");
        String second = gallery.http.get("/?page=2").body();
        assertThat(count(second, "<li>")).isEqualTo(60);
        assertThat(second).contains("img064.png").contains("href=\"/?page=1\"").contains("href=\"/?page=3\"");
        String third = gallery.http.get("/?page=3").body();
        assertThat(count(third, "<li>")).isEqualTo(5);
        assertThat(third).contains("img000.png").doesNotContain("rel=\"next\"");
        assertThat(gallery.http.get("/?page=9").body()).contains("There is no page 9");
    }

    @Test
    void namesOfImagesCopiedInByHandAreEscapedWhereverShown() throws Exception {
        String name = "<b>bold<b> & \"quoted\" 'it'.png";
        Files.write(dir.resolve(name), TestImages.png(10, 10, 1));
        gallery.restart();

        String html = gallery.http.get("/").body();
        assertThat(html).contains("&lt;b&gt;bold&lt;b&gt; &amp; &quot;quoted&quot; &#39;it&#39;.png").doesNotContain("<b>bold");
        String href = "/images/" + Html.segment(name);
        assertThat(html).contains(href);
        assertThat(gallery.http.get(href).statusCode()).isEqualTo(200);
    }

    private static boolean order(String html, String... names) {
        int last = -1;
        for (String n : names) {
            int at = html.indexOf("/images/" + n);
            if (at <= last) {
                return false;
            }
            last = at;
        }
        return true;
    }

    private static int count(String html, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
