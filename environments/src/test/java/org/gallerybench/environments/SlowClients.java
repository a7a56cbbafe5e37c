package org.gallerybench.environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow-loris clients over real sockets, for the surge test and the server benchmark: each sends a request line and
 * then its headers a byte at a time, never finishing them.
 */
public final class SlowClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();
    private final int notAccepted;

    private SlowClients(List<Socket> sockets, int notAccepted) {
        this.sockets.addAll(sockets);
        this.notAccepted = notAccepted;
    }

    /** Opens {@code count} connections at once (3 s to connect each) and sends each a request line and a header's start. */
    public static SlowClients open(URI base, int count) {
        List<Socket> opened = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < count; c++) {
                pool.submit(() -> {
                    try {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 3000);
                        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                        synchronized (opened) {
                            opened.add(s);
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        return new SlowClients(opened, failed.get());
    }

    /** Sends one more header byte on every open connection; returns how many the server had closed. */
    public int dribble() {
        int closed = 0;
        for (var it = sockets.iterator(); it.hasNext(); ) {
            Socket s = it.next();
            try {
                s.getOutputStream().write('a');
                s.getOutputStream().flush();
            } catch (IOException e) {
                closed++;
                it.remove();
            }
        }
        return closed;
    }

    /** Connections that could not be made within 3 s (the server's accept queue was full). */
    public int notAccepted() {
        return notAccepted;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
    }

    /** TCP sockets a process has open, from /proc/PID/fd: its listener, its connections and a few of the JVM's own. */
    public static int serverSockets(long pid) {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
