package org.gallerybench.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityTest {
    @TempDir
    Path parent;
    RunningGallery gallery;

    @BeforeEach
    void start() {
        gallery = new RunningGallery(parent.resolve("uploads"));
    }

    @AfterEach
    void stop() {
        gallery.close();
    }

    /** Every answer says which JVM answered and which build it runs; a restart is a new instance. */
    @Test
    void everyAnswerCarriesTheInstanceAndTheBuild() {
        String first = null;
        for (String path : new String[] {"/", "/api/images", "/images/missing.png", "/health", "/metrics", "/no/such/page"}) {
            var r = gallery.http.get(path);
            String instance = r.headers().firstValue("X-Gallery-Instance").orElse(null);
            assertThat(instance).as(path).isNotBlank().isEqualTo(gallery.server.instance());
            assertThat(r.headers().firstValue("X-Gallery-Build")).as(path).hasValue(gallery.server.build());
            first = instance;
        }
        gallery.restart();
        assertThat(gallery.http.get("/").headers().firstValue("X-Gallery-Instance")).get().isNotEqualTo(first);
        assertThat(ServerIdentity.fromEnvironment(java.util.Map.of("GALLERY_BUILD", "abc123")).build()).isEqualTo("abc123");
    }

    @Test
    void healthReportsReadyAndLiveWithTheStoreCheck() {
        var health = gallery.http.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonObject body = UploadTest.json(health.body());
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("checks").getJsonObject(0).getString("name")).isEqualTo("upload-store");
        assertThat(gallery.http.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(gallery.http.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void notReadyOnceTheStoreCannotBeUsed() throws Exception {
        try (Stream<Path> files = Files.walk(gallery.dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        var ready = gallery.http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("DOWN");
        assertThat(gallery.http.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreOffByDefaultAndSayHowToTurnThemOn() {
        gallery.http.get("/");
        var metrics = gallery.http.get("/metrics", "Accept", "text/plain");
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(metrics.body()).contains("GALLERY_METRICS=on").doesNotContain("gallery_requests_seconds");
        assertThat(gallery.http.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusMetricsCoverRequestsLatencyAndJvmMemory() {
        gallery.close();
        gallery = new RunningGallery(parent.resolve("uploads"), java.util.Map.of("GALLERY_METRICS", "on"));
        gallery.http.get("/");
        gallery.http.get("/images/missing.png");
        var metrics = gallery.http.get("/metrics", "Accept", "text/plain");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("gallery_requests_seconds_count{method=\"GET\",route=\"/\"")
                .contains("route=\"/images\"")
                .contains("status=\"4xx\"")
                .contains("gallery_requests_seconds_sum")
                .contains("memory_usedHeap_bytes");
    }
}
