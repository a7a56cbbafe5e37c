package org.gallerybench.server;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Images made in the tests. WebP comes from a fixture: the JDK has no WebP encoder. */
final class TestImages {
    private TestImages() {
    }

    static byte[] png(int width, int height, int seed) {
        return encode(draw(width, height, seed, true), "png");
    }

    static byte[] jpeg(int width, int height, int seed) {
        return encode(draw(width, height, seed, false), "jpeg");
    }

    static byte[] gif(int width, int height, int seed) {
        return encode(draw(width, height, seed, false), "gif");
    }

    /** A 40 x 30 lossless WebP, made with ImageMagick's {@code convert -size 40x30 gradient:red-blue}. */
    static byte[] webp() {
        try (InputStream in = TestImages.class.getResourceAsStream("/fixtures/sample.webp")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Valid PNG bytes of roughly {@code bytes} size (noise does not compress). */
    static byte[] pngOfSize(int bytes, int seed) {
        int side = (int) Math.ceil(Math.sqrt(bytes / 3.0));
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, random.nextInt());
            }
        }
        return encode(img, "png");
    }

    static BufferedImage decode(byte[] data) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage draw(int width, int height, int seed, boolean alpha) {
        BufferedImage img = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB((seed % 360) / 360f, 0.6f, 0.9f)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(Color.HSBtoRGB(((seed + 180) % 360) / 360f, 0.7f, 0.6f)));
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.drawString(Integer.toString(seed), 4, 14);
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
