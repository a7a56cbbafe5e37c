package org.gallerybench.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Errors as pages in the gallery's own style for browsers, and as JSON for API clients. */
final class ErrorPages {
    private static final Logger LOG = Logger.getLogger(ErrorPages.class.getName());

    private ErrorPages() {
    }

    static void send(ServerRequest req, ServerResponse res, Status status, String message) {
        if (res.isSent()) {
            return;
        }
        res.status(status);
        if (GalleryService.wantsJson(req)) {
            res.header(HeaderNames.CONTENT_TYPE, GalleryService.JSON);
            HttpSemantics.send(req, res, JsonViews.error(status.code(), status.reasonPhrase(), message).toString().getBytes(StandardCharsets.UTF_8));
        } else {
            res.header(HeaderNames.CONTENT_TYPE, GalleryService.HTML);
            HttpSemantics.send(req, res, Pages.error(status.code(), status.reasonPhrase(), message).getBytes(StandardCharsets.UTF_8));
        }
    }

    static void gallery(ServerRequest req, ServerResponse res, GalleryException e) {
        if (e instanceof MalformedBody && !res.isSent()) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        send(req, res, e.status(), e.getMessage());
    }

    static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.log(Level.WARNING, "Failed: " + req.prologue().method().text() + " " + req.path().path(), e);
        send(req, res, Status.INTERNAL_SERVER_ERROR_500,
                "The server failed to handle this request. Try again; if it keeps failing, look at the server log.");
    }

    /**
     * Helidon refused something of the request while a route read it (a malformed Content-Type or Accept header): its
     * status (a 4xx), with words instead of the parser's text, and one debug line.
     */
    static void refused(ServerRequest req, ServerResponse res, io.helidon.http.HttpException e) {
        LOG.fine(() -> "Refused " + req.prologue().method().text() + " " + req.path().path() + ": " + e.getMessage());
        if (e.status().code() >= 500) {
            unexpected(req, res, e);
            return;
        }
        send(req, res, e.status(), "This request could not be read: one of its headers is malformed (Content-Type, Accept"
                + " or another the server needs). Check the request's headers and send it again.");
    }

    /** The client went away mid-request (a cut upload): nothing to answer, nothing was stored. */
    static void clientGone(ServerRequest req, ServerResponse res, RuntimeException e) {
        LOG.fine(() -> "Client closed the connection during " + req.prologue().method().text() + " " + req.path().path());
        if (!res.isSent()) {
            res.status(Status.BAD_REQUEST_400);
            res.header(HeaderNames.CONNECTION, "close");
            res.send();
        }
    }

    /**
     * The last of the gallery's routes: anything no other route took gets a 404 page. The observability
     * endpoints (/health, /metrics) are routed after the gallery's, so requests for them are passed on.
     * With metrics off, /metrics says how to turn them on.
     */
    static void notFound(HttpRules rules, boolean metrics) {
        rules.any((req, res) -> {
            String path = req.path().path();
            if (!metrics && isMetricsPath(path)) {
                send(req, res, Status.NOT_FOUND_404, "Metrics are off on this server. Start it with GALLERY_METRICS=on"
                        + " to serve Prometheus metrics at /metrics.");
                return;
            }
            if (isObservePath(path)) {
                res.next();
                return;
            }
            send(req, res, Status.NOT_FOUND_404, "There is nothing at " + path + ". Go back to the gallery.");
        });
    }

    private static boolean isObservePath(String path) {
        return path.equals("/health") || path.startsWith("/health/") || isMetricsPath(path);
    }

    private static boolean isMetricsPath(String path) {
        return path.equals("/metrics") || path.startsWith("/metrics/");
    }
}
