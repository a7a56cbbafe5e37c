package org.gallerybench.engine.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 server on a raw socket that misbehaves on purpose, in a fixed rotation of requests: most answer
 * 200, others answer 500 (a handler that threw), reset the connection (RST), stall past any deadline, answer bytes
 * that are not HTTP, or trickle their answer a byte at a time (so that an idle-socket timeout never fires, and only
 * a deadline for the whole exchange catches it).
 */
final class FaultyServer implements AutoCloseable {
    enum Fault { OK, THROW, RESET, STALL, GARBAGE, TRICKLE }

    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Fault[] rotation;
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean closed;

    FaultyServer(Fault... rotation) throws IOException {
        this.rotation = rotation;
        this.socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                threads.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (!closed && readHeaders(in)) {
                Fault fault = rotation[(int) (requests.getAndIncrement() % rotation.length)];
                switch (fault) {
                    case OK -> answer(out, 200, "ok");
                    case THROW -> answer(out, 500, "internal error");
                    case RESET -> {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    case STALL -> {
                        Thread.sleep(60_000);
                        return;
                    }
                    case GARBAGE -> {
                        out.write("this is not HTTP at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    case TRICKLE -> {
                        byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n0123456789012345678901234567890123456789"
                                .getBytes(StandardCharsets.US_ASCII);
                        for (byte b : answer) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(150);
                        }
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static boolean readHeaders(InputStream in) throws IOException {
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    private static void answer(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Internal Server Error") + "\r\nContent-Length: " + bytes.length
                + "\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        threads.shutdownNow();
    }
}
