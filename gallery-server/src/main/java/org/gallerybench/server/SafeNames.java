package org.gallerybench.server;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/** Turns whatever name a client sends into a safe file name. */
final class SafeNames {
    /** Longest base name, in UTF-8 bytes; leaves room for a counter and an extension. */
    static final int MAX_BASE_BYTES = 100;

    private SafeNames() {
    }

    /**
     * The base of a safe name (no extension): only letters, digits, '-', '_' and inner dots; no path,
     * no control characters, no leading dots, at most {@link #MAX_BASE_BYTES} bytes. Never empty.
     */
    static String base(String clientName) {
        String name = clientName == null ? "" : Normalizer.normalize(clientName, Normalizer.Form.NFC);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            boolean keep = Character.isLetterOrDigit(cp) || cp == '-' || cp == '_' || cp == '.';
            char last = out.isEmpty() ? 0 : out.charAt(out.length() - 1);
            if (keep) {
                out.appendCodePoint(cp);
            } else if (last != '-') {
                out.append('-');
            }
        });
        String cleaned = out.toString().replaceAll("^[.\\-_]+", "").replaceAll("[.\\-]+$", "");
        cleaned = truncateUtf8(cleaned, MAX_BASE_BYTES);
        return cleaned.isEmpty() ? "image" : cleaned;
    }

    /** True if the name is one this server could have produced: safe to look up. */
    static boolean isSafe(String name) {
        if (name == null || name.isEmpty() || name.startsWith(".") || name.getBytes(StandardCharsets.UTF_8).length > 200) {
            return false;
        }
        return name.codePoints().allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '-' || cp == '_' || cp == '.');
    }

    private static String truncateUtf8(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out.toString().replaceAll("[.\\-]+$", "");
    }
}
