package org.gallerybench.server;

import java.time.Instant;

/**
 * One image in the gallery.
 *
 * @param name       the stored file name, unique, safe, with the extension of its content type
 * @param type       the content's format
 * @param bytes      the file's size
 * @param uploadedAt when it was stored (the file's modification time)
 * @param width      pixels across, or 0 while not yet read
 * @param height     pixels down, or 0 while not yet read
 */
public record StoredImage(String name, ImageType type, long bytes, Instant uploadedAt, int width, int height) {

    /** A strong validator: changes whenever the file's size or modification time does. */
    public String etag() {
        return "\"" + Long.toHexString(bytes) + "-" + Long.toHexString(uploadedAt.toEpochMilli()) + "\"";
    }

    /** Part of thumbnail URLs, so that a replaced file never shows a stale cached thumbnail. */
    public String version() {
        return Long.toHexString(uploadedAt.toEpochMilli());
    }

    public boolean hasDimensions() {
        return width > 0 && height > 0;
    }

    StoredImage withDimensions(int w, int h) {
        return new StoredImage(name, type, bytes, uploadedAt, w, h);
    }
}
