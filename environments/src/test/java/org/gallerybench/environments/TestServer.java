package org.gallerybench.environments;

import java.nio.file.Files;
import java.nio.file.Path;

/** The gallery server build the tests deploy: the reactor packages it before these tests run. */
public final class TestServer {
    private TestServer() {
    }

    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("gallery-server"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static ServerArtifact artifact() {
        return ServerArtifact.of(projectRoot().resolve("gallery-server/target/gallery-server.jar"));
    }
}
