package org.gallerybench.server;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import java.util.Map;

/**
 * A short, representative workload for a JDK 25 AOT cache ({@code -XX:AOTCacheOutput=...}): start the server
 * on a free port with a scratch store, upload PNG and JPEG images, read every page and endpoint, then stop.
 * Requests are written on raw sockets, so that no HTTP client classes end up in the cache.
 */
final class AotTraining {
    private AotTraining() {
    }

    static void run() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gallery-aot-training");
            // Trained as it will run: with metrics only if GALLERY_METRICS asks for them.
            GalleryConfig config = GalleryConfig.fromEnvironment(
                            Map.of("GALLERY_METRICS", System.getenv().getOrDefault("GALLERY_METRICS", "")))
                    .withPort(0).withUploadDir(dir);
            try (GalleryServer server = GalleryServer.start(config)) {
                int port = server.port();
                for (int round = 0; round < 3; round++) {
                    upload(port, "training-" + round + ".png", image("png", round));
                    upload(port, "training-" + round + ".jpg", image("jpg", round));
                    for (String path : new String[] {"/", "/?page=1", "/upload", "/api/images", "/api/images/training-0.png",
                            "/images/training-0.png", "/static/uploads/training-0.jpg", "/thumbs/training-0.png",
                            "/health", "/health/ready", "/metrics", "/missing"}) {
                        get(port, path);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("gallery-server: AOT training failed: " + e.getMessage());
            System.exit(1);
        } finally {
            delete(dir);
        }
    }

    private static byte[] image(String format, int seed) throws IOException {
        BufferedImage img = new BufferedImage(640, 480, format.equals("png") ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40 * seed, 120, 200));
        g.fillRect(0, 0, 640, 480);
        g.setColor(Color.ORANGE);
        g.fillOval(100, 100, 300, 200);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format.equals("png") ? "png" : "jpeg", out);
        return out.toByteArray();
    }

    private static void upload(int port, String name, byte[] data) throws IOException {
        String boundary = "----gallery-training";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        String request = "POST /upload HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\nConnection: close\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                + (head.length + data.length + tail.length) + "\r\n\r\n";
        exchange(port, request.getBytes(StandardCharsets.UTF_8), head, data, tail);
    }

    private static void get(int port, String path) throws IOException {
        exchange(port, ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one request and reads its whole response (by Content-Length), with a timeout so training never hangs. */
    private static void exchange(int port, byte[]... parts) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            long length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).strip());
                }
            }
            in.readNBytes((int) length);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch directory in tmp
        }
    }
}
