package org.gallerybench.environments;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The one gallery every environment serves during a run: {@code count} images made deterministically from a seed,
 * so that startup, memory and throughput are measured on the same data everywhere and from run to run. JPEG photos
 * and PNGs of 20 KiB to 2 MiB, with a few large photos. Made once, whoever asks (two runs at once: the second waits
 * for the first and adopts its images, checked against their record) and cached by its inputs; named
 * {@code bench-NNNN.jpg|png}.
 *
 * <p>Its record says which files are the tool's own: each image's name and SHA-256, and the SHA-256 of what the load
 * uploads (under {@value #LOAD_UPLOAD_PREFIX}). A store reset deletes or replaces only files whose name and content are
 * in a record it was given; anything else in a store is a user's and is kept, whatever its name.
 *
 * @param dir           the folder holding the images
 * @param seed          what they were made from
 * @param names         the file names, sorted
 * @param digest        SHA-256 over every name and content: the run records it
 * @param namesDigest   SHA-256 over the names alone: what a server's /api/images can be checked against
 * @param fileDigests   each image's SHA-256, by name
 * @param uploadDigests the SHA-256 of each body the load may upload (stored under a name that starts with
 *                      {@value #LOAD_UPLOAD_PREFIX}, to which a server may add a number)
 */
public record Dataset(Path dir, long seed, List<String> names, String digest, String namesDigest, Map<String, String> fileDigests,
                      List<String> uploadDigests) {
    /**
     * The seed every run's gallery is made from, whatever the load's seed: runs on different days then measure the
     * same gallery, and one copy of it is cached.
     */
    public static final long GALLERY_SEED = 20261129L;
    /** The default size of a run's gallery. */
    public static final int DEFAULT_COUNT = 200;
    /** The prefix of every dataset file name. */
    public static final String PREFIX = "bench-";
    /** The file name the load generator uploads under; the server keeps it, adding a number when it is taken. */
    public static final String LOAD_UPLOAD_PREFIX = "gallerybench-load";
    /** In a made dataset's folder: each image's SHA-256 and name, as {@code sha256sum} writes them. */
    static final String RECORD = ".sha256";
    /** In a made dataset's folder, written last: the dataset's digest, so that a half-made or altered copy is made again. */
    static final String COMPLETE = ".complete";
    private static final String VERSION = "v1";

    public Dataset {
        names = List.copyOf(names);
        fileDigests = Map.copyOf(fileDigests);
        uploadDigests = List.copyOf(uploadDigests);
    }

    public int count() {
        return names.size();
    }

    /** The same dataset, whose record also names {@code body} as something the load uploads. */
    public Dataset withUpload(byte[] body) {
        List<String> uploads = new ArrayList<>(uploadDigests);
        String hex = HexFormat.of().formatHex(sha256().digest(body));
        if (!uploads.contains(hex)) {
            uploads.add(hex);
        }
        return new Dataset(dir, seed, names, digest, namesDigest, fileDigests, uploads);
    }

    /**
     * The record a store reset is given, one line a file as {@code sha256sum} writes it ("HEX  NAME"): each image, and
     * each upload body as "HEX  gallerybench-load*" (any name with that prefix).
     */
    public String record() {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(fileDigests.get(name)).append("  ").append(name).append('\n');
        }
        for (String upload : uploadDigests) {
            out.append(upload).append("  ").append(LOAD_UPLOAD_PREFIX).append("*\n");
        }
        return out.toString();
    }

    /**
     * The dataset of {@code seed} and {@code count}, made under {@code cacheRoot} unless it is there already. Two
     * callers at once (threads or processes) make it once: the other waits and adopts it. A copy whose files do not
     * match its record (half made by a process that was killed, or altered) is made again.
     */
    public static Dataset ensure(Path cacheRoot, long seed, int count) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("a dataset holds 1 to 100,000 images, not " + count);
        }
        Path dir = cacheRoot.resolve("datasets").resolve(VERSION + "-" + Long.toHexString(seed) + "-" + count);
        try {
            return FileLocks.once(dir.resolveSibling(dir.getFileName() + ".lock"), "making the benchmark's " + count + " images",
                    () -> readChecked(dir, seed), () -> make(dir, seed, count));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the benchmark's " + count + " images in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes it in a folder of its own beside {@code dir}, then renames that into place (under the lock: no one else makes it). */
    private static Dataset make(Path dir, long seed, int count) throws IOException {
        Files.createDirectories(dir.getParent());
        if (Files.exists(dir)) {
            Scratch.deleteQuietly(dir); // a copy that failed its check: made again
        }
        Path work = Files.createTempDirectory(dir.getParent(), ".making-");
        try {
            StringBuilder record = new StringBuilder();
            for (int i = 0; i < count; i++) {
                Random random = new Random(seed * 31 + i);
                boolean large = i % 40 == 39;
                boolean png = !large && i % 4 == 3;
                byte[] image = large ? jpeg(noisyPhoto(2400, 1800, random, 28)) : png ? png(pattern(160 + random.nextInt(220),
                        120 + random.nextInt(160), random)) : jpeg(noisyPhoto(480 + random.nextInt(640), 360 + random.nextInt(480), random, 6));
                String name = String.format("%s%04d.%s", PREFIX, i, png ? "png" : "jpg");
                Files.write(work.resolve(name), image);
                record.append(HexFormat.of().formatHex(sha256().digest(image))).append("  ").append(name).append('\n');
            }
            Files.writeString(work.resolve(RECORD), record);
            Dataset made = read(work, seed);
            Files.writeString(work.resolve(COMPLETE), "seed " + seed + ", " + count + " images, digest " + made.digest() + "\n");
            work.toFile().setReadable(true, false); // a container mounts it and reads it as its own user
            work.toFile().setExecutable(true, false);
            Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
            return new Dataset(dir, made.seed(), made.names(), made.digest(), made.namesDigest(), made.fileDigests(), List.of());
        } finally {
            Scratch.deleteQuietly(work);
        }
    }

    /** The dataset in {@code dir} if it is complete and its files are those its record names; empty otherwise. */
    private static Optional<Dataset> readChecked(Path dir, long seed) throws IOException {
        Path complete = dir.resolve(COMPLETE);
        if (!Files.isRegularFile(complete) || !Files.isRegularFile(dir.resolve(RECORD))) {
            return Optional.empty();
        }
        Dataset found = read(dir, seed);
        return Files.readString(complete).contains("digest " + found.digest()) ? Optional.of(found) : Optional.empty();
    }

    /** Reads the images in {@code dir} and their digests (each checked against the record: a mismatch makes the digest differ). */
    private static Dataset read(Path dir, long seed) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).sorted().toList();
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve(RECORD))) {
            int gap = line.indexOf("  ");
            if (gap > 0) {
                recorded.put(line.substring(gap + 2), line.substring(0, gap));
            }
        }
        MessageDigest all = sha256();
        Map<String, String> digests = new LinkedHashMap<>();
        for (String name : names) {
            byte[] fileDigest = sha256().digest(Files.readAllBytes(dir.resolve(name)));
            String hex = HexFormat.of().formatHex(fileDigest);
            digests.put(name, hex);
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update(fileDigest);
            if (!hex.equals(recorded.get(name))) {
                all.update((byte) 1); // not what was made: the digest will not match .complete's
            }
        }
        if (!recorded.keySet().equals(digests.keySet())) {
            all.update((byte) 2);
        }
        return new Dataset(dir, seed, names, HexFormat.of().formatHex(all.digest()), namesDigest(names), digests, List.of());
    }

    /** SHA-256 over sorted names, one a line: what a server that serves exactly these files reports. */
    public static String namesDigest(List<String> names) {
        return HexFormat.of().formatHex(sha256().digest(String.join("\n", names.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8)));
    }

    /** Gradients and shapes, with some noise so that JPEG does not shrink it to nothing. */
    private static BufferedImage noisyPhoto(int width, int height, Random r, int noise) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt()), width, height, new Color(r.nextInt())));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 16; i++) {
            g.setColor(new Color(r.nextInt(), true));
            g.fillOval(r.nextInt(width), r.nextInt(height), 20 + r.nextInt(width / 3), 20 + r.nextInt(height / 3));
        }
        g.dispose();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int n = r.nextInt(2 * noise + 1) - noise;
                img.setRGB(x, y, (clamp(((rgb >> 16) & 255) + n) << 16) | (clamp(((rgb >> 8) & 255) + n) << 8) | clamp((rgb & 255) + n));
            }
        }
        return img;
    }

    /** A PNG that does not compress much: noise over a pattern, some tens to a few hundred KiB. */
    private static BufferedImage pattern(int width, int height, Random r) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, ((x * 7) & 255) << 16 | ((y * 5) & 255) << 8 | r.nextInt(256));
            }
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        return encode(img, "jpeg");
    }

    private static byte[] png(BufferedImage img) throws IOException {
        return encode(img, "png");
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
