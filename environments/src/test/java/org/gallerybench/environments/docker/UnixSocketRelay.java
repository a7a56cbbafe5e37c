package org.gallerybench.environments.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Exposes a unix socket on a loopback TCP port, so that tests can reach the real engine as tcp://127.0.0.1:PORT. */
final class UnixSocketRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;

    UnixSocketRelay(Path socket) throws IOException {
        this(socket, "127.0.0.1");
    }

    /** A relay listening on {@code address} (another loopback address stands in for another machine). */
    UnixSocketRelay(Path socket, String address) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(address, 0));
        Thread.ofVirtual().start(this::accept);
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(UnixDomainSocketAddress.of(socket));
                Thread.ofVirtual().start(() -> pump(client, engine));
                Thread.ofVirtual().start(() -> pump(engine, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (from; to) {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException ignored) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
