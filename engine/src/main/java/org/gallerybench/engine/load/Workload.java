package org.gallerybench.engine.load;

import org.gallerybench.engine.BenchException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import javax.imageio.ImageIO;

import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import org.gallerybench.environments.Dataset;

/**
 * What the load requests, as wrk's request script: the mix of kinds, the stored images to fetch, the upload body.
 * Each connection draws from its own {@link Chooser}, a random generator seeded from the run's seed and the
 * connection's number, so a run can be repeated exactly and no choice ever depends on the clock.
 */
public final class Workload {
    private static final String BOUNDARY = "gallerybench-load-7f3a91";
    private static final ContentType MULTIPART = ContentType.parse("multipart/form-data; boundary=" + BOUNDARY);

    private final HttpHost host;
    private final List<RequestKind> sequence;
    private final List<String> imagePaths;
    private final byte[] uploadBody;
    private final long seed;
    private final Requests requests;

    Workload(HttpHost host, List<RequestKind> sequence, List<String> imagePaths, byte[] uploadBody, long seed) {
        this(host, sequence, imagePaths, uploadBody, seed, Requests.GALLERY);
    }

    Workload(HttpHost host, List<RequestKind> sequence, List<String> imagePaths, byte[] uploadBody, long seed, Requests requests) {
        if (sequence.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one request kind");
        }
        if (sequence.contains(RequestKind.IMAGE) && imagePaths.isEmpty()) {
            throw new IllegalArgumentException("a workload with image requests needs at least one image");
        }
        this.host = host;
        this.sequence = List.copyOf(sequence);
        this.imagePaths = List.copyOf(imagePaths);
        this.uploadBody = uploadBody;
        this.seed = seed;
        this.requests = requests;
    }

    /**
     * Learns the stored image names (for GET /images/...) and makes the upload body, before any timing starts. A
     * gallery with no image gets one uploaded, so that image requests have something to fetch.
     */
    public static Workload prepare(URI base, LoadProfile profile, long seed) {
        return prepare(base, profile, seed, Requests.GALLERY, List.of());
    }

    /**
     * As above, for an app whose requests are {@code requests}; when it lists no images of its own, image requests fetch
     * {@code storedNames} (the run's dataset, which the run placed in its store).
     */
    public static Workload prepare(URI base, LoadProfile profile, long seed, Requests requests, List<String> storedNames) {
        HttpHost host = new HttpHost(base.getScheme(), base.getHost(), base.getPort());
        RequestMix mix = profile.mix();
        requests.require(mix, "the app under test");
        if (!requests.namesFromApi()) {
            byte[] body = mix.includes(RequestKind.UPLOAD) ? multipart(validPng(profile.uploadBytes()), requests.uploadField()) : null;
            List<String> paths = storedNames.stream().map(requests::imagePath).toList();
            if (mix.includes(RequestKind.IMAGE) && paths.isEmpty()) {
                throw new BenchException("image requests need stored images, and this app's store is empty: run with a dataset (--dataset 200),"
                        + " or leave image out of --mix");
            }
            return new Workload(host, mix.sequence(), paths, body, seed, requests);
        }
        byte[] body = mix.includes(RequestKind.UPLOAD) || mix.includes(RequestKind.IMAGE) ? multipart(validPng(profile.uploadBytes())) : null;
        List<String> names = List.of();
        if (mix.includes(RequestKind.IMAGE)) {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
                names = fetchNames(http, base);
                if (names.isEmpty()) {
                    HttpRequest upload = HttpRequest.newBuilder(base.resolve("/upload"))
                            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY).header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(60)).build();
                    http.send(upload, HttpResponse.BodyHandlers.discarding());
                    names = fetchNames(http, base);
                }
            } catch (IOException e) {
                throw new BenchException("cannot reach " + base + " to prepare the load (" + ErrorKind.describe(e)
                        + "): is the server running? Check the environment's status.", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted while preparing the load", e);
            }
            if (names.isEmpty()) {
                throw new BenchException("the gallery at " + base + " has no image to request, and uploading one failed:"
                        + " check that its store is writable, or drop image from the request mix");
            }
        }
        return new Workload(host, mix.sequence(), names, body, seed);
    }

    private static List<String> fetchNames(HttpClient http, URI base) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        int page = 1;
        while (true) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(base.resolve("/api/images?size=100&page=" + page))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (list.statusCode() != 200) {
                return names;
            }
            JsonNode json = new ObjectMapper().readTree(list.body());
            int before = names.size();
            for (JsonNode image : json.path("images")) {
                names.add(image.path("url").asText());
            }
            long total = json.path("total").asLong(names.size());
            if (names.size() == before || names.size() >= total || names.size() >= 20_000) {
                return names;
            }
            page++;
        }
    }

    /** Every image name the gallery at {@code base} serves, from /api/images. */
    public static List<String> servedNames(URI base) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return fetchNames(http, base).stream().map(url -> url.substring(url.lastIndexOf('/') + 1)).toList();
        } catch (IOException e) {
            throw new BenchException("cannot read the gallery at " + base + " (" + ErrorKind.describe(e) + "): is the server running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while reading the gallery at " + base, e);
        }
    }

    public long seed() {
        return seed;
    }

    public List<String> imagePaths() {
        return imagePaths;
    }

    /** The chooser of connection {@code connection}: its own generator, seeded from the run's seed. */
    public Chooser chooser(int connection) {
        return new Chooser(new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (connection + 1))));
    }

    /**
     * Index of the image to request, drawn from {@code random}: always in [0, size). The old generator took the clock
     * modulo the size and went negative once bit 41 of {@code System.nanoTime()} was set (after 36.6 minutes of uptime).
     */
    static int pickImage(RandomGenerator random, int size) {
        return size == 1 ? 0 : random.nextInt(size);
    }

    /** A multipart/form-data body with one file in the field {@code file}. */
    static byte[] multipart(byte[] image) {
        return multipart(image, "file");
    }

    /** A multipart/form-data body with one file in the form field {@code field}. */
    static byte[] multipart(byte[] image, String field) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(image.length + 256);
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + Dataset.LOAD_UPLOAD_PREFIX + ".png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A valid PNG of about {@code bytes} bytes: noise, which does not compress. */
    public static byte[] validPng(int bytes) {
        int side = Math.max(8, (int) Math.ceil(Math.sqrt(bytes / 3.0)));
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 1024);
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request to send: its kind (for the statistics) and the producer HttpClient sends. */
    record Request(RequestKind kind, AsyncRequestProducer producer) {
    }

    /**
     * One connection's choices. The kinds follow the mix's shuffled 100-slot sequence from a random starting slot (so
     * proportions hold exactly over every 100 requests); images are drawn uniformly. Not thread-safe: a connection
     * has one exchange at a time.
     */
    public final class Chooser {
        private final RandomGenerator random;
        private int slot;

        Chooser(RandomGenerator random) {
            this.random = random;
            this.slot = random.nextInt(sequence.size());
        }

        RequestKind nextKind() {
            RequestKind kind = sequence.get(slot);
            slot = slot + 1 == sequence.size() ? 0 : slot + 1;
            return kind;
        }

        String nextImage() {
            return imagePaths.get(pickImage(random, imagePaths.size()));
        }

        Request next() {
            RequestKind kind = nextKind();
            AsyncRequestProducer producer = switch (kind) {
                case PAGE -> new BasicRequestProducer(Method.normalizedValueOf(requests.kinds().get(RequestKind.PAGE).method()), host,
                        requests.path(RequestKind.PAGE));
                case IMAGE -> new BasicRequestProducer(Method.GET, host, nextImage());
                case UPLOAD -> {
                    BasicHttpRequest post = new BasicHttpRequest(Method.POST, host, requests.path(RequestKind.UPLOAD));
                    post.addHeader("Accept", "application/json");
                    yield new BasicRequestProducer(post, new BasicAsyncEntityProducer(uploadBody, MULTIPART));
                }
            };
            return new Request(kind, producer);
        }
    }
}
