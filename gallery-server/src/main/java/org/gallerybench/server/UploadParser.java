package org.gallerybench.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;
import java.util.Locale;

/**
 * Streams the parts of a multipart/form-data request from Helidon's request entity, with Commons FileUpload's
 * parser. Nothing is buffered in memory: each part is an input stream that the store copies to disk.
 */
final class UploadParser extends AbstractFileUpload<ServerRequest, DiskFileItem, DiskFileItemFactory> {

    UploadParser(int maxFiles) {
        setMaxFileCount(maxFiles);
    }

    static boolean isMultipart(ServerRequest request) {
        return request.headers().contentType()
                .map(t -> t.mediaType().text().toLowerCase(Locale.ROOT).startsWith("multipart/form-data"))
                .orElse(false);
    }

    @Override
    public FileItemInputIterator getItemIterator(ServerRequest request) throws IOException {
        return getItemIterator(request, request.content().inputStream());
    }

    /** Parts of the request, read from {@code body}: the caller keeps the stream, to drain it after an error. */
    FileItemInputIterator getItemIterator(ServerRequest request, InputStream body) throws IOException {
        return getItemIterator(new HelidonContext(request, body));
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(ServerRequest request) {
        throw new UnsupportedOperationException("the gallery streams parts; it never buffers them");
    }

    @Override
    public List<DiskFileItem> parseRequest(ServerRequest request) {
        throw new UnsupportedOperationException("the gallery streams parts; it never buffers them");
    }

    private record HelidonContext(ServerRequest request, InputStream body) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return request.headers().contentType().flatMap(t -> t.charset()).orElse("UTF-8");
        }

        @Override
        public long getContentLength() {
            return request.headers().contentLength().orElse(-1L);
        }

        @Override
        public String getContentType() {
            return request.headers().get(HeaderNames.CONTENT_TYPE).get();
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }
}
