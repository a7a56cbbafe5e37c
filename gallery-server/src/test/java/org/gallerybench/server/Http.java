package org.gallerybench.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A small real-HTTP client for the tests: GET, and multipart POST built by hand so that tests control every byte. */
final class Http {
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    Http(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path, String... headers) {
        return send(request(path, headers).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> upload(Multipart form, String... headers) {
        return post("/upload", "multipart/form-data; boundary=" + form.boundary, form.bytes(), headers);
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path, String[] headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    static Multipart form() {
        return new Multipart();
    }

    /** A multipart/form-data body. */
    static final class Multipart {
        final String boundary;
        private final List<byte[]> parts = new ArrayList<>();

        Multipart() {
            this("gallery-test-" + UUID.randomUUID());
        }

        /** With a boundary of the caller's: the same bytes every run (a seeded fuzz mutates them). */
        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart file(String field, String filename, byte[] content) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            parts.add(concat(head.getBytes(StandardCharsets.UTF_8), content, "\r\n".getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Multipart file(String filename, byte[] content) {
            return file("file", filename, content);
        }

        Multipart field(String name, String value) {
            String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
            parts.add(part.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            parts.forEach(out::writeBytes);
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... arrays) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] a : arrays) {
                out.writeBytes(a);
            }
            return out.toByteArray();
        }
    }
}
