package org.gallerybench.engine.load;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * How a request failed. A 404 or a 505 is an error like any other non-2xx answer, never a success. Every exception
 * the generator meets lands in one of these kinds, so that no connection's loop ends without a count.
 */
public enum ErrorKind {
    /** No connection could be made (refused, unreachable). A failed connect is an error, not a request. */
    CONNECT("connection failed"),
    /** No complete answer before the request's deadline (the whole exchange, not an idle socket). */
    TIMEOUT("timed out"),
    /** An answer whose status was not 2xx. */
    NON_2XX("non-2xx answer"),
    /** The connection was reset or closed by the server in the middle of an exchange. */
    RESET("connection reset"),
    /** An answer that was not valid HTTP. */
    PROTOCOL("malformed answer"),
    /** The generator itself failed to build or send the request: a bug in this tool, counted rather than hidden. */
    CLIENT("generator error"),
    /** Anything else. */
    OTHER("other error");

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    /** For people: "connection reset". */
    public String label() {
        return label;
    }

    /** Which kind an exception from a connect, a send or a read is. Checks types first, names only for HttpCore's own. */
    public static ErrorKind of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return CONNECT;
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return TIMEOUT;
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("ConnectionRequestTimeoutException")) {
                return CONNECT;
            }
            if (name.contains("Timeout")) {
                return TIMEOUT;
            }
            if (t instanceof ConnectionClosedException || t instanceof ClosedChannelException
                    || t instanceof SocketException) {
                return RESET;
            }
            if (t instanceof ProtocolException || t instanceof MessageConstraintException) {
                return PROTOCOL;
            }
        }
        return OTHER;
    }

    /** One short phrase for a person, e.g. "connection refused", "connection reset by peer". Never a stack trace. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof ConnectException) {
                return m.contains("refused") || m.isEmpty() ? "connection refused" : m;
            }
            if (m.contains("connection reset")) {
                return "connection reset by peer";
            }
            if (m.contains("broken pipe")) {
                return "broken pipe: the server closed the connection";
            }
            if (t instanceof ConnectionClosedException) {
                return "the server closed the connection before answering";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof ProtocolException) {
                String what = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ");
                return "not a valid HTTP answer" + (what.isBlank() ? "" : " (" + (what.length() > 120 ? what.substring(0, 120) + "…" : what) + ")");
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer in time";
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "an unexpected failure (" + root.getClass().getSimpleName() + ")";
    }
}
