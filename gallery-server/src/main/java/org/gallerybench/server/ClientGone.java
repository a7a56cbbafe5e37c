package org.gallerybench.server;

import io.helidon.common.buffers.DataReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A client that goes away in the middle of its request is an ordinary event, not a server error. Helidon's HTTP/1
 * connection treats the end of input inside a request's headers as an internal error: it answers 500 to nobody and
 * logs a warning with the whole stack trace, once per client. A flood of such clients then becomes a flood of stack
 * traces (seen: 737 of them, each formatted and written while the heap was small). This filter on that logger turns
 * each one into a single debug line, and lets every other warning through as it is.
 */
final class ClientGone implements Filter {
    /** Held here: a logger's filter lives as long as the logger object, and JUL keeps loggers weakly. */
    private static final Logger CONNECTION = Logger.getLogger("io.helidon.webserver.http1.Http1Connection");
    private static final Logger LOG = Logger.getLogger(ClientGone.class.getName());

    private ClientGone() {
    }

    /** Installs the filter (once; later calls change nothing). */
    static synchronized void install() {
        if (!(CONNECTION.getFilter() instanceof ClientGone)) {
            CONNECTION.setFilter(new ClientGone());
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue() || !isClientGone(record.getThrown())) {
            return true;
        }
        LOG.fine(() -> "A client closed its connection before its request was complete; nothing was done for it.");
        return false;
    }

    /** Whether the failure is the client's leaving: the end of its input, or its socket reset or closed. */
    static boolean isClientGone(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
            if (t instanceof UncheckedIOException || t instanceof IOException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
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
