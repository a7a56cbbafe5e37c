package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SafeNamesTest {
    @Test
    void keepsLettersDigitsAndSimplePunctuation() {
        assertThat(SafeNames.base("Holiday_2024-07.final.jpg")).isEqualTo("Holiday_2024-07.final");
        assertThat(SafeNames.base("Фото на море.png")).isEqualTo("Фото-на-море");
    }

    @Test
    void stripsPathsControlCharactersAndLeadingDots() {
        assertThat(SafeNames.base("/etc/passwd")).isEqualTo("passwd");
        assertThat(SafeNames.base("C:\\Users\\me\\pic.png")).isEqualTo("pic");
        assertThat(SafeNames.base("...hidden.png")).isEqualTo("hidden");
        assertThat(SafeNames.base("bell\u0007\u0000.png")).isEqualTo("bell");
        assertThat(SafeNames.base("")).isEqualTo("image");
        assertThat(SafeNames.base(null)).isEqualTo("image");
        assertThat(SafeNames.base("../..")).isEqualTo("image");
    }

    @Test
    void boundsTheLengthInBytes() {
        String longName = "é".repeat(300) + ".png";
        assertThat(SafeNames.base(longName).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SafeNames.MAX_BASE_BYTES);
    }

    @Test
    void configurationHasSaneDefaultsAndClearErrors() {
        GalleryConfig defaults = GalleryConfig.fromEnvironment(Map.of());
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.host()).isEqualTo("0.0.0.0");
        assertThat(defaults.maxUploadBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(defaults.uploadDir().toString()).endsWith("/data/uploads");
        assertThat(defaults.metrics()).as("metrics cost ~5 MiB, so they are opt-in").isFalse();
        assertThat(GalleryConfig.fromEnvironment(Map.of("GALLERY_METRICS", "on")).metrics()).isTrue();
        assertThatThrownBy(() -> GalleryConfig.fromEnvironment(Map.of("GALLERY_METRICS", "maybe")))
                .hasMessage("GALLERY_METRICS must be on or off, got 'maybe'");
        assertThatThrownBy(() -> GalleryConfig.fromEnvironment(Map.of("GALLERY_PORT", "eighty")))
                .hasMessage("GALLERY_PORT must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> GalleryConfig.fromEnvironment(Map.of("GALLERY_PORT", "70000")))
                .hasMessageContaining("between 0 and 65535");
    }
}
