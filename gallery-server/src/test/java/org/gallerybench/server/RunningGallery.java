package org.gallerybench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real gallery server on a free port with its own upload directory, for one test class. */
final class RunningGallery implements AutoCloseable {
    final Path dir;
    final GalleryConfig config;
    GalleryServer server;
    Http http;

    RunningGallery(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.config = GalleryConfig.fromEnvironment(env).withPort(0).withUploadDir(dir);
        start();
    }

    RunningGallery(Path dir) {
        this(dir, Map.of());
    }

    void start() {
        try {
            server = GalleryServer.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http = new Http(server.uri());
    }

    void restart() {
        server.close();
        start();
    }

    /** Every entry of the upload directory, hidden ones included, except the thumbnail folder. */
    List<String> filesOnDisk() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".thumbs")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
