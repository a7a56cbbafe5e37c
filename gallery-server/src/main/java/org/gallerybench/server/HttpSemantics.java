package org.gallerybench.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP as RFC 9110 has it, for every route of the gallery: HEAD wherever GET is served (the same status and
 * headers, Content-Length included, and no body; Helidon 4 does not do this by itself), 405 with an Allow header for
 * a method a route does not serve, OPTIONS answered with Allow, and single byte ranges of files (206 with
 * Content-Range, 416 when the range cannot be satisfied).
 */
final class HttpSemantics {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private HttpSemantics() {
    }

    /** A route for GET and HEAD. */
    static HttpRoute getAndHead(String path, Handler handler) {
        return HttpRoute.builder().methods(Method.GET, Method.HEAD).path(path).handler(handler).build();
    }

    /**
     * After a path's routes: OPTIONS answers 204 with Allow; any other method answers 405 with Allow. Register it
     * after the routes that serve the path.
     */
    static void allow(HttpRules rules, String path, Method... allowed) {
        String allow = String.join(", ", Arrays.stream(allowed).map(Method::text).toList()) + ", OPTIONS";
        rules.any(path, (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            if (req.prologue().method() == Method.OPTIONS) {
                res.status(Status.NO_CONTENT_204);
                res.send();
                return;
            }
            ErrorPages.send(req, res, Status.METHOD_NOT_ALLOWED_405, req.prologue().method().text() + " is not served at "
                    + req.path().path() + ": use " + String.join(" or ", Arrays.stream(allowed).map(Method::text).toList()) + ".");
        });
    }

    static boolean isHead(ServerRequest req) {
        return req.prologue().method() == Method.HEAD;
    }

    /** A fixed-length body: with its Content-Length, and for HEAD the headers alone. */
    static void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (isHead(req)) {
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    /**
     * A file, whole or one byte range of it (Range: bytes=a-b, a-, -n), with Accept-Ranges, Content-Length and, for
     * a range, 206 and Content-Range; a range that starts past the end is 416 with Content-Range: bytes *&#47;LENGTH.
     * Several ranges, a range that cannot be parsed or is invalid (its end before its start), or a range with If-Range
     * that does not match {@code etag}, get the whole file (RFC 9110 lets a server ignore Range). Positions too large
     * for a number are past any end: as a start, 416; as an end or a suffix length, the file's last byte. HEAD gets
     * the headers alone.
     */
    static void sendFile(ServerRequest req, ServerResponse res, Path file, String contentType, String etag) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            res.header(HeaderNames.CONTENT_TYPE, contentType);
            res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            res.header(HeaderNames.ACCEPT_RANGES, "bytes");
            long start = 0;
            long end = length - 1;
            Optional<String> range = req.headers().first(HeaderNames.RANGE);
            Optional<String> ifRange = req.headers().first(HeaderNames.IF_RANGE);
            if (range.isPresent() && (ifRange.isEmpty() || ifRange.get().strip().equals(etag))) {
                Matcher m = RANGE.matcher(range.get().strip());
                if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty()) && valid(m.group(1), m.group(2))) {
                    long[] span = span(m.group(1), m.group(2), length);
                    if (span == null) {
                        res.status(Status.REQUESTED_RANGE_NOT_SATISFIABLE_416);
                        res.header(HeaderNames.CONTENT_RANGE, "bytes */" + length);
                        ErrorPages.send(req, res, Status.REQUESTED_RANGE_NOT_SATISFIABLE_416, "The range '" + range.get()
                                + "' is outside the file, which has " + length + " bytes.");
                        return;
                    }
                    start = span[0];
                    end = span[1];
                    res.status(Status.PARTIAL_CONTENT_206);
                    res.header(HeaderNames.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + length);
                }
            }
            long count = end - start + 1;
            res.contentLength(count);
            if (isHead(req)) {
                res.send();
                return;
            }
            channel.position(start);
            try (InputStream in = Channels.newInputStream(channel); OutputStream out = res.outputStream()) {
                copy(in, out, count);
            }
        } catch (NoSuchFileException gone) {
            throw GalleryException.notFound("The file '" + file.getFileName() + "'");
        }
    }

    /** Whether a range-spec is valid (RFC 9110 14.1.1): no end before its start. Invalid ones are ignored, not refused. */
    static boolean valid(String first, String last) {
        return first.isEmpty() || last.isEmpty() || position(last) >= position(first);
    }

    /** [first, last] of one valid range, or null when it cannot be satisfied. */
    static long[] span(String first, String last, long length) {
        if (first.isEmpty()) { // the last n bytes
            long n = position(last);
            return n == 0 || length == 0 ? null : new long[] {Math.max(0, length - n), length - 1};
        }
        long start = position(first);
        if (start >= length) {
            return null;
        }
        long end = last.isEmpty() ? length - 1 : Math.min(position(last), length - 1);
        return end < start ? null : new long[] {start, end};
    }

    /** A byte position of the Range header (digits only, as the pattern took them): too large for a long is past any end. */
    private static long position(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    private static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
