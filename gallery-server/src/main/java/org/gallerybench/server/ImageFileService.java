package org.gallerybench.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Arrays;

/** Stored images and their thumbnails, with validators so that browsers and proxies can cache them. */
final class ImageFileService implements HttpService {
    private static final String FULL_CACHE = "public, max-age=3600, must-revalidate";
    private static final String THUMB_CACHE = "public, max-age=31536000, immutable";

    private final ImageStore store;

    ImageFileService(ImageStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.route(HttpSemantics.getAndHead("/images/{name}", this::image))
                .route(HttpSemantics.getAndHead("/static/uploads/{name}", this::image))
                .route(HttpSemantics.getAndHead("/thumbs/{name}", this::thumbnail));
        for (String path : new String[] {"/images/{name}", "/static/uploads/{name}", "/thumbs/{name}"}) {
            HttpSemantics.allow(rules, path, io.helidon.http.Method.GET, io.helidon.http.Method.HEAD);
        }
    }

    private void image(ServerRequest req, ServerResponse res) throws IOException {
        StoredImage image = lookup(req);
        Path file = store.file(image);
        if (notModified(req, res, image.etag(), image.uploadedAt())) {
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, FULL_CACHE);
        HttpSemantics.sendFile(req, res, file, image.type().contentType(), image.etag());
    }

    private void thumbnail(ServerRequest req, ServerResponse res) throws IOException {
        StoredImage image = lookup(req);
        Path thumb;
        try {
            thumb = store.thumbnail(image);
        } catch (IOException e) {
            throw new GalleryException(Status.NOT_FOUND_404, "No thumbnail can be made of '" + image.name()
                    + "': its content cannot be decoded.", e);
        }
        String etag = "\"t" + image.version() + "\"";
        if (notModified(req, res, etag, image.uploadedAt())) {
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, THUMB_CACHE);
        HttpSemantics.sendFile(req, res, thumb, thumb.getFileName().toString().endsWith(".png") ? "image/png" : "image/jpeg", etag);
    }

    private StoredImage lookup(ServerRequest req) {
        String name = req.path().pathParameters().get("name");
        return store.find(name).orElseThrow(() -> GalleryException.notFound("The image '" + name + "'"));
    }

    private static boolean notModified(ServerRequest req, ServerResponse res, String etag, Instant modified) {
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.LAST_MODIFIED, httpDate(modified));
        Optional<String> ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH);
        boolean fresh;
        if (ifNoneMatch.isPresent()) {
            String tags = ifNoneMatch.get();
            fresh = tags.strip().equals("*") || Arrays.stream(tags.split(","))
                    .map(t -> t.strip().replaceFirst("^W/", "")).anyMatch(etag::equals);
        } else {
            Optional<ZonedDateTime> since;
            try {
                since = req.headers().ifModifiedSince();
            } catch (RuntimeException badDate) {
                since = Optional.empty();
            }
            fresh = since.isPresent() && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(since.get().toInstant());
        }
        if (fresh) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
        }
        return fresh;
    }


    static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
