package org.gallerybench.server;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadFileCountLimitException;
import java.util.concurrent.atomic.AtomicLong;

/** The gallery page, the upload form and its handler, and the JSON API. */
final class GalleryService implements HttpService {
    static final String HTML = "text/html; charset=UTF-8";
    static final String JSON = "application/json";
    /**
     * The most images one /api/images page lists: a request in flight builds the page's JSON in heap (about 2.5 KiB per
     * image as objects, text and bytes), so with {@code GALLERY_MAX_CONCURRENT_REQUESTS} of them at once this bounds
     * the heap the API can take (DESIGN.md, "What the heap holds"). A client pages through a larger gallery.
     */
    static final int MAX_API_PAGE_SIZE = 100;
    /**
     * The rendered pages kept, in all: a bound of the heap's (DESIGN.md, "What the heap holds"). About forty pages of
     * sixty images; a page past the gallery's last is rendered each time, never kept, so no client can fill it.
     */
    static final long MAX_CACHED_PAGE_BYTES = 1024 * 1024;

    private final ImageStore store;
    private final GalleryConfig config;
    private final UploadParser parser;
    private final Map<Integer, CachedPage> pageCache = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();

    private record CachedPage(long version, byte[] html) {
    }

    GalleryService(ImageStore store, GalleryConfig config) {
        this.store = store;
        this.config = config;
        this.parser = new UploadParser(GalleryConfig.MAX_FILES_PER_REQUEST);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.route(HttpSemantics.getAndHead("/", this::gallery))
                .route(HttpSemantics.getAndHead("/upload", this::uploadForm))
                .post("/upload", this::upload)
                .route(HttpSemantics.getAndHead("/api/images", this::listImages))
                .route(HttpSemantics.getAndHead("/api/images/{name}", this::oneImage));
        HttpSemantics.allow(rules, "/", Method.GET, Method.HEAD);
        HttpSemantics.allow(rules, "/upload", Method.GET, Method.HEAD, Method.POST);
        HttpSemantics.allow(rules, "/api/images", Method.GET, Method.HEAD);
        HttpSemantics.allow(rules, "/api/images/{name}", Method.GET, Method.HEAD);
    }

    private void gallery(ServerRequest req, ServerResponse res) {
        int number = intParam(req.query(), "page", 1, Integer.MAX_VALUE);
        long version = store.version();
        CachedPage cached = pageCache.get(number);
        if (cached == null || cached.version() != version) {
            ImageStore.Page page = store.page(number, config.pageSize());
            byte[] html = Pages.gallery(page, config.maxUploadBytes()).getBytes(StandardCharsets.UTF_8);
            cached = new CachedPage(version, html);
            if (number <= page.pages()) {
                if (cachedBytes.addAndGet(html.length) > MAX_CACHED_PAGE_BYTES) {
                    pageCache.clear();
                    cachedBytes.set(html.length);
                }
                CachedPage before = pageCache.put(number, cached);
                if (before != null) {
                    cachedBytes.addAndGet(-before.html().length);
                }
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, HTML);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        HttpSemantics.send(req, res, cached.html());
    }

    private void uploadForm(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, HTML);
        HttpSemantics.send(req, res, Pages.uploadPage(config.maxUploadBytes(), store.size()).getBytes(StandardCharsets.UTF_8));
    }

    private void upload(ServerRequest req, ServerResponse res) throws IOException {
        if (!UploadParser.isMultipart(req)) {
            throw new GalleryException(Status.BAD_REQUEST_400,
                    "Send images as multipart/form-data, in a field named 'file' (one file or several).");
        }
        InputStream body = MalformedBody.guard(req.content().inputStream());
        List<ImageStore.Staged> staged = new ArrayList<>();
        boolean committed = false;
        try {
            FileItemInputIterator parts = parser.getItemIterator(req, body);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                try (InputStream in = part.getInputStream()) {
                    if (part.isFormField() || !"file".equals(part.getFieldName())) {
                        in.transferTo(OutputStream.nullOutputStream());
                        continue;
                    }
                    String name = part.getName();
                    PushbackInputStream content = new PushbackInputStream(in, 1);
                    int first = content.read();
                    if (first < 0 && (name == null || name.isEmpty())) {
                        continue; // a browser sends an empty, nameless part when no file was chosen
                    }
                    if (first >= 0) {
                        content.unread(first);
                    }
                    staged.add(store.stage(name, content, config.maxUploadBytes()));
                }
            }
            if (staged.isEmpty()) {
                throw new GalleryException(Status.BAD_REQUEST_400, "No file was uploaded. Choose one or more images ("
                        + ImageType.acceptedList() + ") in the form field 'file'.");
            }
            List<StoredImage> stored = store.commit(staged);
            committed = true;
            if (wantsJson(req)) {
                res.status(Status.CREATED_201);
                res.header(HeaderNames.LOCATION, "/api/images/" + Html.segment(stored.getFirst().name()));
                res.header(HeaderNames.CONTENT_TYPE, JSON);
                res.send(JsonViews.stored(stored).toString().getBytes(StandardCharsets.UTF_8));
            } else {
                res.status(Status.SEE_OTHER_303);
                res.header(HeaderNames.LOCATION, "/");
                res.send();
            }
        } catch (FileUploadFileCountLimitException e) {
            drain(body);
            throw new GalleryException(Status.REQUEST_ENTITY_TOO_LARGE_413, "Too many files in one upload: at most "
                    + GalleryConfig.MAX_FILES_PER_REQUEST + " at a time. Upload them in smaller batches.", e);
        } catch (FileUploadException e) {
            throw new GalleryException(Status.BAD_REQUEST_400,
                    "The upload could not be read as multipart/form-data (" + e.getMessage() + "). Try again.", e);
        } catch (MalformedBody e) {
            throw e; // nothing more can be read from this body; the answer closes the connection
        } catch (GalleryException e) {
            drain(body);
            throw e;
        } finally {
            if (!committed) {
                staged.forEach(store::discard);
            }
        }
    }

    private void listImages(ServerRequest req, ServerResponse res) {
        int number = intParam(req.query(), "page", 1, Integer.MAX_VALUE);
        int size = intParam(req.query(), "size", config.pageSize(), MAX_API_PAGE_SIZE);
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        HttpSemantics.send(req, res, JsonViews.page(store.page(number, size)).toString().getBytes(StandardCharsets.UTF_8));
    }

    private void oneImage(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        StoredImage image = store.find(name).orElseThrow(() -> GalleryException.notFound("The image '" + name + "'"));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        HttpSemantics.send(req, res, JsonViews.image(image).toString().getBytes(StandardCharsets.UTF_8));
    }

    static boolean wantsJson(ServerRequest req) {
        if (req.path().path().startsWith("/api/")) {
            return true;
        }
        return req.headers().bestAccepted(MediaTypes.TEXT_HTML, MediaTypes.APPLICATION_JSON)
                .map(t -> t.equals(MediaTypes.APPLICATION_JSON))
                .orElse(false);
    }

    private static int intParam(Parameters query, String name, int fallback, int max) {
        if (!query.contains(name)) {
            return fallback;
        }
        String raw = query.get(name);
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < 1 || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new GalleryException(Status.BAD_REQUEST_400, "The parameter '" + name
                    + "' must be a whole number from 1 to " + max + ", got '" + raw + "'.");
        }
    }

    /** Reads and drops the rest of a request body, so that the client gets our answer rather than a reset. */
    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ignored) {
            // the connection is gone or the body was already consumed
        }
    }
}
