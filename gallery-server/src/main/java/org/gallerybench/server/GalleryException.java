package org.gallerybench.server;

import io.helidon.http.Status;

/** A failure the client can act on: it carries the HTTP status and a message that says what to do. */
public class GalleryException extends RuntimeException {
    private final Status status;

    public GalleryException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public GalleryException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    static GalleryException notFound(String what) {
        return new GalleryException(Status.NOT_FOUND_404, what + " was not found in the gallery.");
    }
}
