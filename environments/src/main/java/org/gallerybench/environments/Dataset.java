package org.gallerybench.environments;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The one gallery every environment serves during a run: {@code count} images made deterministically from a seed,
 * so that startup, memory and throughput are measured on the same data everywhere and from run to run. JPEG photos
 * and PNGs of 20 KiB to 2 MiB, with a few large photos. Made once and cached by its inputs; named
 * {@code bench-NNNN.jpg|png}, so that the benchmark's files are told apart from anything else in a store.
 *
 * @param dir         the folder holding the images
 * @param seed        what they were made from
 * @param names       the file names, sorted
 * @param digest      SHA-256 over every name and content: the run records it
 * @param namesDigest SHA-256 over the names alone: what a server's /api/images can be checked against
 */
public record Dataset(Path dir, long seed, List<String> names, String digest, String namesDigest) {
    /**
     * The seed every run's gallery is made from, whatever the load's seed: runs on different days then measure the
     * same gallery, and one copy of it is cached.
     */
    public static final long GALLERY_SEED = 20261129L;
    /** The default size of a run's gallery. */
    public static final int DEFAULT_COUNT = 200;
    /** The prefix of every dataset file name. */
    public static final String PREFIX = "bench-";
    private static final String VERSION = "v1";

    public Dataset {
        names = List.copyOf(names);
    }

    public int count() {
        return names.size();
    }

    /** The dataset of {@code seed} and {@code count}, made under {@code cacheRoot} unless it is there already. */
    public static Dataset ensure(Path cacheRoot, long seed, int count) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("a dataset holds 1 to 100,000 images, not " + count);
        }
        Path dir = cacheRoot.resolve("datasets").resolve(VERSION + "-" + Long.toHexString(seed) + "-" + count);
        try {
            if (!Files.isRegularFile(dir.resolve(".complete"))) {
                Files.createDirectories(dir.getParent());
                Path work = Files.createTempDirectory(dir.getParent(), ".making-");
                for (int i = 0; i < count; i++) {
                    Random random = new Random(seed * 31 + i);
                    boolean large = i % 40 == 39;
                    boolean png = !large && i % 4 == 3;
                    byte[] image = large ? jpeg(noisyPhoto(2400, 1800, random, 28)) : png ? png(pattern(160 + random.nextInt(220),
                            120 + random.nextInt(160), random)) : jpeg(noisyPhoto(480 + random.nextInt(640), 360 + random.nextInt(480), random, 6));
                    Files.write(work.resolve(String.format("%s%04d.%s", PREFIX, i, png ? "png" : "jpg")), image);
                }
                Files.writeString(work.resolve(".complete"), "seed " + seed + ", " + count + " images\n");
                work.toFile().setReadable(true, false); // a container mounts it and reads it as its own user
                work.toFile().setExecutable(true, false);
                try {
                    Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    Scratch.deleteQuietly(work); // made meanwhile by another run, or the same again
                }
            }
            return read(dir, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the benchmark's images in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Dataset read(Path dir, long seed) throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).sorted().toList();
        }
        MessageDigest all = sha256();
        for (String name : names) {
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update(sha256().digest(Files.readAllBytes(dir.resolve(name))));
        }
        return new Dataset(dir, seed, names, HexFormat.of().formatHex(all.digest()), namesDigest(names));
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

    /** The file name the load generator uploads under; the server keeps it, adding a number when it is taken. */
    public static final String LOAD_UPLOAD_PREFIX = "gallerybench-load";
}
