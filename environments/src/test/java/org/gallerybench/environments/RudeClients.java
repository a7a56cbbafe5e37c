package org.gallerybench.environments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients a server meets on a bad day, over real sockets, for the surge tests and the server benchmark: a surge of
 * keep-alive clients, clients that send half a request line and leave (or stay), uploads that send their body slowly,
 * and clients that vanish in the middle of an upload with a reset. Each runs on virtual threads and is bounded in
 * time.
 */
public final class RudeClients {
    private RudeClients() {
    }

    /** What a surge's clients got: status counts ("200", "503", ..., "not accepted"), and 503s without Retry-After. */
    public record Outcomes(Map<String, Long> byStatus, int missingRetryAfter) {
        public long count(String key) {
            return byStatus.getOrDefault(key, 0L);
        }
    }

    /**
     * {@code clients} keep-alive clients requesting GET / in a loop for {@code length}, reconnecting when closed; run it
     * in the background with {@link #inBackground}.
     */
    public static Outcomes surge(URI base, int clients, Duration length) {
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicInteger missingRetryAfter = new AtomicInteger();
        long end = System.nanoTime() + length.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> keepAlive(base, end, outcomes, missingRetryAfter));
            }
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.sum()));
        return new Outcomes(counts, missingRetryAfter.get());
    }

    /**
     * {@code count} clients that each open a connection and send half a request: every other one part of a request
     * line, the rest a whole request line and part of a header; with {@code hold} zero they close at once, otherwise
     * they keep the connection that long (the server's idle or header timeout may close it first).
     * Returns how many connected within 3 s.
     */
    public static int halfSent(URI base, int count, Duration hold) {
        List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger connected = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < count; c++) {
                int n = c;
                pool.submit(() -> {
                    try {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 3000);
                        connected.incrementAndGet();
                        String half = n % 2 == 0 ? "GET /images/picture-" + n + ".jpg HT"
                                : "GET /images/picture-" + n + ".jpg HTTP/1.1\r\nHost: gallery\r\nUser-Ag";
                        s.getOutputStream().write(half.getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        if (hold.isZero()) {
                            s.close();
                        } else {
                            open.add(s);
                        }
                    } catch (IOException e) {
                        // not accepted in time: the server's accept queue was full
                    }
                });
            }
        }
        if (!hold.isZero()) {
            sleep(hold);
            synchronized (open) {
                open.forEach(RudeClients::closeQuietly);
            }
        }
        return connected.get();
    }

    /**
     * {@code count} uploads that send their headers and the start of a multipart body, then a byte every half second
     * for {@code length}, holding a request slot each; then they close. Returns how many the server answered before
     * the end (it may refuse a slow body).
     */
    public static int slowUploads(URI base, int count, Duration length) {
        AtomicInteger answered = new AtomicInteger();
        long end = System.nanoTime() + length.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < count; c++) {
                pool.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 3000);
                        s.setSoTimeout(500);
                        OutputStream out = s.getOutputStream();
                        out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                                + "Content-Length: 100000\r\n\r\n--b\r\n").getBytes(StandardCharsets.US_ASCII));
                        while (System.nanoTime() < end) {
                            out.write('x');
                            out.flush();
                            try {
                                if (s.getInputStream().read() >= 0) {
                                    answered.incrementAndGet();
                                    return;
                                }
                            } catch (java.net.SocketTimeoutException stillWaiting) {
                                // the server reads on
                            }
                        }
                    } catch (IOException e) {
                        // closed by the server
                    }
                });
            }
        }
        return answered.get();
    }

    /**
     * {@code count} clients that send an upload's headers and part of its body, then vanish: the connection is reset
     * (SO_LINGER 0), as when a client crashes or its network drops.
     */
    public static void vanishMidUpload(URI base, int count) {
        byte[] start = ("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 200000\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gone.png\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] part = new byte[20_000];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < count; c++) {
                pool.submit(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 3000);
                        s.getOutputStream().write(start);
                        s.getOutputStream().write(part);
                        s.getOutputStream().flush();
                        Thread.sleep(100);
                        s.setSoLinger(true, 0);
                    } catch (IOException e) {
                        // not accepted in time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    /** Runs a client behaviour beside the caller's; get() waits for it. */
    public static <T> Future<T> inBackground(java.util.concurrent.Callable<T> clients) {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(clients);
        Thread.ofVirtual().name("rude-clients").start(task);
        return task;
    }

    /** One wrk-like client: requests on a keep-alive connection until the end, reconnecting when closed. */
    private static void keepAlive(URI base, long end, Map<String, LongAdder> outcomes, AtomicInteger missingRetryAfter) {
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2000);
                s.setSoTimeout(3000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                boolean open = true;
                while (open && System.nanoTime() < end) {
                    out.write(request);
                    out.flush();
                    String head = readHead(in);
                    String status = head.substring(9, 12);
                    outcomes.computeIfAbsent(status, k -> new LongAdder()).increment();
                    long length = header(head, "content-length").map(Long::parseLong).orElse(0L);
                    in.skipNBytes(length);
                    if (status.equals("503") && header(head, "retry-after").isEmpty()) {
                        missingRetryAfter.incrementAndGet();
                    }
                    open = header(head, "connection").map(v -> !v.equalsIgnoreCase("close")).orElse(true);
                }
            } catch (IOException | RuntimeException e) {
                // Not accepted in time: waiting in the kernel's accept queue, dropped, or reset.
                outcomes.computeIfAbsent("not accepted", k -> new LongAdder()).increment();
                sleep(Duration.ofMillis(100));
            }
        }
    }

    /** The status line and headers of an HTTP answer, up to the blank line. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A header of an answer's head, by name (any case). */
    public static Optional<String> header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
