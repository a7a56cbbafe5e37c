package org.gallerybench.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The first look at a new connection's bytes, before Helidon's HTTP/1 parser takes it: a request the parser would
 * drop without a word gets a short answer instead. Helidon closes a connection silently when its first bytes are
 * not an HTTP/1.1 request line (garbage, HTTP/1.0) or when the request line does not end within the first read;
 * a client then sees the connection close with no status at all. This gate claims exactly those connections:
 * <ul>
 *   <li>a first line that does not end within {@link #FIRST_READ} bytes: 414 URI Too Long;</li>
 *   <li>an HTTP/1.1 request line whose headers do not end within {@link #FIRST_READ} bytes: 431 Request Header
 *       Fields Too Large (the head is bounded at {@link ConnectionLimits#MAX_HEAD_BYTES});</li>
 *   <li>HTTP/1.0: 505 with what to use; anything else: 400.</li>
 * </ul>
 * Everything else it leaves to HTTP/1, which answers the same way for the later requests of a kept-alive connection
 * (with the words of {@link ConnectionLimits}' direct handler). After its answer the gate reads and drops what the
 * client is still sending, at most {@link #DRAIN_BYTES} or {@link #DRAIN_TIME}, before the connection closes: a
 * socket closed with unread bytes sends a reset, and the client would lose the answer with it.
 */
final class RequestGate implements ServerConnectionSelector {
    private static final Logger LOG = Logger.getLogger(RequestGate.class.getName());
    /** What the first read of a connection holds at most (Helidon's socket buffer). */
    static final int FIRST_READ = 8192;
    static final int DRAIN_BYTES = 256 * 1024;
    static final Duration DRAIN_TIME = Duration.ofSeconds(2);
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    /** What the gate answers, for a connection it claims. */
    enum Answer {
        TOO_LONG(414, "URI Too Long", "The request line is longer than " + ConnectionLimits.MAX_PROLOGUE_BYTES
                + " bytes. Shorten the address (its query string too)."),
        HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", "The request's headers are larger than "
                + ConnectionLimits.MAX_HEAD_BYTES + " bytes. Send fewer or shorter headers (cookies too)."),
        HTTP_1_0(505, "HTTP Version Not Supported", "This server speaks HTTP/1.1; the request was HTTP/1.0. Use an HTTP/1.1"
                + " client (curl, wrk, a browser; ApacheBench speaks only HTTP/1.0)."),
        NOT_HTTP(400, "Bad Request", "This is not an HTTP/1.1 request line: send METHOD /path HTTP/1.1, then headers.");

        final int status;
        final String reason;
        final String text;

        Answer(int status, String reason, String text) {
            this.status = status;
            this.reason = reason;
            this.text = text;
        }

        byte[] bytes() {
            byte[] body = (status + " " + reason + ". " + text + "\n").getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n";
            byte[] out = new byte[head.length() + body.length];
            System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
            System.arraycopy(body, 0, out, head.length(), body.length);
            return out;
        }
    }

    /** The gate's answer for these first bytes, or null to leave them to HTTP/1. */
    static Answer judge(BufferData first) {
        int n = first.available();
        byte[] bytes = new byte[n];
        first.read(bytes);
        first.rewind();
        int lf = indexOf(bytes, (byte) '\n', 0);
        if (lf < 0) {
            // No end of line yet: a request line still arriving is HTTP/1's, unless it cannot end in the first read.
            return n >= FIRST_READ ? Answer.TOO_LONG : null;
        }
        String line = new String(bytes, 0, lf, StandardCharsets.ISO_8859_1);
        if (line.endsWith(" HTTP/1.1\r")) {
            boolean headEnds = indexOf(bytes, HEAD_END) >= 0;
            return !headEnds && n >= FIRST_READ ? Answer.HEADERS_TOO_LARGE : null;
        }
        return line.endsWith(" HTTP/1.0\r") ? Answer.HTTP_1_0 : Answer.NOT_HTTP;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return judge(request) == null ? Support.UNSUPPORTED : Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Refusal(ctx);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        outer:
        for (int i = 0; i <= bytes.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A claimed connection: the answer, a bounded drain of what is still coming, and the close. */
    private static final class Refusal implements ServerConnection {
        private final ConnectionContext ctx;
        private final long started = System.nanoTime();

        Refusal(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void handle(io.helidon.common.concurrency.limits.Limit limit) {
            DataReader reader = ctx.dataReader();
            Answer answer;
            try {
                answer = judge(reader.getBuffer(reader.available()));
            } catch (RuntimeException e) {
                answer = Answer.NOT_HTTP;
            }
            Answer said = answer == null ? Answer.NOT_HTTP : answer;
            LOG.fine(() -> "Answered " + ctx.remotePeer().address() + " with " + said.status + " " + said.reason + " before parsing");
            try {
                ctx.dataWriter().writeNow(BufferData.create(said.bytes()));
            } catch (RuntimeException gone) {
                return; // the client did not wait for it
            }
            drain(reader);
        }

        /** Reads and drops what the client still sends, within the bounds; the socket is closed at the time bound. */
        private void drain(DataReader reader) {
            Thread closer = Thread.ofVirtual().unstarted(() -> {
                try {
                    Thread.sleep(DRAIN_TIME);
                    ctx.serverSocket().close();
                } catch (InterruptedException done) {
                    // drained in time
                } catch (RuntimeException ignored) {
                    // already closed
                }
            });
            closer.start();
            try {
                long dropped = 0;
                while (dropped < DRAIN_BYTES) {
                    int available = reader.available();
                    if (available > 0) {
                        reader.skip(available);
                        dropped += available;
                    }
                    reader.pullData();
                }
            } catch (RuntimeException endOrClosed) {
                // the client closed its side (what we wait for), or the time bound closed the socket
            } finally {
                closer.interrupt();
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        @Override
        public void close(boolean interrupt) {
            try {
                ctx.serverSocket().close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
