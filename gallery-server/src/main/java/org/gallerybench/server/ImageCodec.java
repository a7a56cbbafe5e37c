package org.gallerybench.server;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;

/**
 * Reads image dimensions and makes thumbnails with ImageIO (WebP through TwelveMonkeys' plugin).
 *
 * <p>Decoding is subsampled to about twice the thumbnail size, and at most {@code parallelism} decodes run
 * at once, so that fifty concurrent uploads of large photos fit in a small heap.
 */
final class ImageCodec {
    /** Longest side of a thumbnail, in pixels. */
    static final int THUMB_MAX = 320;
    /** Refuse images that claim more pixels than this (decompression bombs). */
    static final long MAX_PIXELS = 200_000_000L;
    /**
     * Decodes at once, whatever the number of cores: each holds up to ~2.5 MiB of heap (a subsampled raster of at most
     * 640 x 640 pixels, the scaled thumbnail, the encoder's buffer), and the heap is sized from this bound (DESIGN.md,
     * "What the heap holds"). More uploads than this wait for a turn.
     */
    static final int MAX_DECODES = 2;

    private final Semaphore decodes;

    ImageCodec(int parallelism) {
        this.decodes = new Semaphore(Math.max(1, parallelism));
        ImageIO.setUseCache(false);
    }

    /** Width and height, read from the header only. */
    record Size(int width, int height) {
    }

    /** A finished thumbnail: encoded bytes, and whether it is a PNG (kept for transparency) or a JPEG. */
    record Thumbnail(byte[] data, boolean png, int sourceWidth, int sourceHeight) {
        String extension() {
            return png ? "png" : "jpg";
        }
    }

    Size size(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                return new Size(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Decodes the image (first frame) and scales it to at most {@link #THUMB_MAX} pixels on the long side.
     *
     * @throws IOException if the content cannot be decoded: it only looked like an image
     */
    Thumbnail thumbnail(Path file) throws IOException {
        decodes.acquireUninterruptibly();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                    throw new IOException("it declares " + w + " x " + h + " pixels, more than this gallery accepts");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(w, h) / THUMB_MAX);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage decoded = reader.read(0, param);
                boolean alpha = decoded.getColorModel().hasAlpha();
                BufferedImage scaled = scale(decoded, alpha);
                return new Thumbnail(encode(scaled, alpha), alpha, w, h);
            } catch (RuntimeException e) {
                // Some decoders signal corrupt data with unchecked exceptions.
                throw new IOException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        } finally {
            decodes.release();
        }
    }

    private static ImageReader readerFor(ImageInputStream in, Path file) throws IOException {
        if (in == null) {
            throw new IOException("cannot open " + file.getFileName());
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("no decoder recognises its content");
        }
        return readers.next();
    }

    private static BufferedImage scale(BufferedImage src, boolean alpha) {
        int w = src.getWidth();
        int h = src.getHeight();
        double factor = Math.min(1.0, (double) THUMB_MAX / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * factor));
        int th = Math.max(1, (int) Math.round(h * factor));
        BufferedImage out = new BufferedImage(tw, th, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (!alpha) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, tw, th);
            }
            g.drawImage(src, 0, 0, tw, th, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] encode(BufferedImage image, boolean png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
        if (png) {
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
