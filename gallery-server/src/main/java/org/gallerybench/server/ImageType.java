package org.gallerybench.server;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Locale;

/** The image formats the gallery accepts. The content's first bytes decide, never the file name. */
public enum ImageType {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg"),
    GIF("gif", "image/gif"),
    WEBP("webp", "image/webp");

    /** Bytes needed to recognise every type. */
    public static final int SNIFF_BYTES = 12;

    private final String extension;
    private final String contentType;

    ImageType(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** "PNG, JPEG, GIF and WebP", for messages. */
    public static String acceptedList() {
        return "PNG, JPEG, GIF and WebP";
    }

    /** The content types, comma separated, for an HTML accept attribute. */
    public static String acceptAttribute() {
        return Arrays.stream(values()).map(ImageType::contentType).collect(Collectors.joining(","));
    }

    /** Recognises a type from the first bytes of a file (magic numbers). */
    public static Optional<ImageType> sniff(byte[] head, int length) {
        if (length >= 8 && startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (length >= 3 && startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (length >= 6 && (startsWith(head, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 'G', 'I', 'F', '8', '9', 'a'))) {
            return Optional.of(GIF);
        }
        if (length >= 12 && startsWith(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** The type whose usual extension is the given one (case-insensitive), if any. */
    public static Optional<ImageType> byExtension(String ext) {
        String e = ext.toLowerCase(Locale.ROOT);
        if (e.equals("jpeg") || e.equals("jpe")) {
            return Optional.of(JPEG);
        }
        return Arrays.stream(values()).filter(t -> t.extension.equals(e)).findFirst();
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
