package org.gallerybench.environments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every value that reaches a shell line, a Dockerfile or a systemd unit goes through one function here for its target,
 * so that it stays one value there: a word, a string, an argument. A manifest's values are data and never become code
 * in the wrong place (a newline that starts a new instruction, a quote that ends the string, {@code $(id)} or a
 * backtick that runs a command, a {@code %} that systemd expands, a leading {@code -} that becomes an option).
 *
 * <p>Control characters (a newline among them) are refused in every target rather than escaped: no target has a
 * safe and readable form for all of them, and no manifest value needs one. {@link #requirePrintable} says so first.
 */
public final class Escape {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Escape() {
    }

    /** True when {@code s} has no control character (below U+0020, U+007F, the C1 range, line and paragraph separators). */
    public static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029);
    }

    /** {@code s} itself, if it is {@link #printable}; otherwise an {@link IllegalArgumentException} naming {@code what}. */
    public static String requirePrintable(String s, String what) {
        if (!printable(s)) {
            throw new IllegalArgumentException(what + " holds a control character (a newline, a tab or the like): it cannot be used");
        }
        return s;
    }

    /**
     * One word for a POSIX shell: single-quoted, each {@code '} written as {@code '\''}. Nothing inside is expanded:
     * not {@code $}, not a backtick, not {@code \}. A word is one argument however it starts (a leading {@code -} is still
     * the command's to read as an option: pass {@code --} before such words).
     */
    public static String shellWord(String s) {
        return "'" + requirePrintable(s, "a shell word").replace("'", "'\\''") + "'";
    }

    /**
     * A JSON string, as a Dockerfile's exec form ({@code CMD ["..."]}, {@code RUN ["..."]}) takes each word: Docker does
     * not expand variables there, and JSON has no raw newline, so a value cannot start a new instruction.
     */
    public static String dockerfileString(String s) {
        try {
            return JSON.writeValueAsString(requirePrintable(s, "a Dockerfile value"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One argument of a systemd unit's {@code ExecStart=}: double-quoted, with {@code \} and {@code "} escaped, {@code %}
     * written {@code %%} (a specifier otherwise) and {@code $} written {@code $$} (systemd expands variables in
     * ExecStart= otherwise).
     */
    public static String systemdArgument(String s) {
        return "\"" + requirePrintable(s, "a unit's argument").replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$") + "\"";
    }

    /**
     * One {@code Environment=} assignment of a systemd unit: {@code "NAME=value"}, double-quoted, with {@code \} and
     * {@code "} escaped and {@code %} written {@code %%}; systemd does not expand {@code $} there, so it stays.
     */
    public static String systemdEnvironment(String name, String value) {
        return "\"" + requirePrintable(name + "=" + value, "a unit's variable").replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
    }
}
