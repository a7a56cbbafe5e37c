package org.gallerybench.benchmarks;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.gallerybench.environments.TestHttp;

/** Shared pieces of the benchmark programs. */
public final class BenchSupport {
    private BenchSupport() {
    }

    /** A photo-like JPEG: gradients and shapes, a few tens of KiB. */
    public static byte[] photo(int width, int height, int seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        Random r = new Random(seed);
        g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt()), width, height, new Color(r.nextInt())));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(r.nextInt(), true));
            g.fillOval(r.nextInt(width), r.nextInt(height), 20 + r.nextInt(width / 3), 20 + r.nextInt(height / 3));
        }
        g.dispose();
        return encode(img, "jpeg");
    }

    /** A valid PNG of about {@code bytes} bytes (noise does not compress). */
    static byte[] pngOfSize(int bytes, int seed) {
        int side = (int) Math.ceil(Math.sqrt(bytes / 3.0));
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        return encode(img, "png");
    }

    public static void upload50Photos(URI base) {
        for (int i = 0; i < 50; i++) {
            int status = TestHttp.upload(base, "photo-" + i + ".jpg", photo(640, 480, i)).statusCode();
            if (status != 201) {
                throw new IllegalStateException("upload failed with HTTP " + status);
            }
        }
    }

    /**
     * Fills a gallery to at least {@code count} images, as a user's gallery looks: JPEG photos of a few sizes and some
     * PNGs, each made from its number (so every environment gets the same set). Returns the gallery's total.
     */
    public static long fillGallery(URI base, int count) {
        long total = total(base);
        for (int i = (int) total; i < count; i++) {
            boolean png = i % 5 == 4;
            byte[] image = png ? pngOfSize(20 * 1024, i) : photo(i % 3 == 0 ? 800 : 320, i % 3 == 0 ? 600 : 240, i);
            int status = TestHttp.upload(base, "gallery-" + i + (png ? ".png" : ".jpg"), image).statusCode();
            if (status != 201) {
                throw new IllegalStateException("upload " + i + " to " + base + " failed with HTTP " + status);
            }
        }
        return total(base);
    }

    /** The gallery's total, from GET /api/images. */
    public static long total(URI base) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            String json = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/api/images?size=1")).timeout(java.time.Duration.ofSeconds(60))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no total in " + base + "api/images: " + json);
            }
            return Long.parseLong(m.group(1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A wrk Lua script that POSTs {@code body} (a whole multipart request) to /upload. */
    static Path uploadScript(Path dir, byte[] image) throws IOException {
        String boundary = "wrkboundary7d93";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Path bodyFile = dir.resolve("upload-body.bin");
        Files.write(bodyFile, body.toByteArray());
        Path script = dir.resolve("upload.lua");
        Files.writeString(script, """
                local f = io.open("%s", "rb")
                wrk.method = "POST"
                wrk.body = f:read("*all")
                f:close()
                wrk.headers["Content-Type"] = "multipart/form-data; boundary=%s"
                wrk.headers["Accept"] = "application/json"
                """.formatted(bodyFile, boundary));
        return script;
    }

    /** Samples a figure every 200 ms in the background and keeps its peak. */
    static final class PeakSampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        PeakSampler(LongSupplier reading) {
            thread = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    long v = reading.getAsLong();
                    peak.accumulateAndGet(v, Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    static long orZero(OptionalLong v) {
        return v.orElse(0);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp
        }
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
