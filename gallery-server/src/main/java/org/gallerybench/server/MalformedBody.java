package org.gallerybench.server;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A request body whose bytes break HTTP's framing (a chunk size that is not hexadecimal, a missing terminating chunk)
 * is the client's fault: 400, and the connection is closed, since what follows on it cannot be told apart from the
 * next request. Helidon's body stream throws such failures as plain runtime exceptions (NumberFormatException,
 * RequestException), which a handler would otherwise answer as a server error. A client that leaves mid-body is
 * passed on as it is, to be dropped quietly.
 */
final class MalformedBody extends GalleryException {
    MalformedBody(RuntimeException cause) {
        super(Status.BAD_REQUEST_400, "The request body could not be read: its framing is malformed (for example a chunk"
                + " size that is not hexadecimal). Send the body with a correct Content-Length or chunked encoding.", cause);
    }

    /** {@code body}, with framing failures of its reads turned into {@link MalformedBody}. */
    static InputStream guard(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (RuntimeException e) {
                    throw translate(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (RuntimeException e) {
                    throw translate(e);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                try {
                    return super.skip(n);
                } catch (RuntimeException e) {
                    throw translate(e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } catch (RuntimeException e) {
                    throw translate(e);
                }
            }
        };
    }

    private static RuntimeException translate(RuntimeException e) {
        if (e instanceof GalleryException || e instanceof DataReader.InsufficientDataAvailableException
                || e instanceof UncheckedIOException || e instanceof CloseConnectionException || isClientGone(e)) {
            return e;
        }
        return new MalformedBody(e);
    }

    /** Whether the failure is the client's leaving: the end of its input, or its socket reset or closed. */
    private static boolean isClientGone(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
            if (t instanceof UncheckedIOException || t instanceof IOException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("connection reset") || message.contains("broken pipe") || message.contains("socket closed")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
