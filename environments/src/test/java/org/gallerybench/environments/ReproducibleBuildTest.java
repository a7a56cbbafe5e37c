package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same sources give the same build digest: the server is built again, with Maven, from a copy of its sources
 * made now (every file with a new time stamp), and its digest is the one this checkout's build has. Without this,
 * each rebuild made a new 185 MB image, a new AOT cache and a fresh deploy to the VM.
 */
class ReproducibleBuildTest {
    @TempDir
    Path copy;

    @Test
    void aRebuildFromACopyOfTheSourcesHasTheSameDigest() throws Exception {
        Path root = TestServer.projectRoot();
        Files.copy(root.resolve("pom.xml"), copy.resolve("pom.xml"));
        for (String module : List.of("gallery-server", "environments", "engine", "dashboard")) {
            Files.createDirectories(copy.resolve(module));
            Files.copy(root.resolve(module).resolve("pom.xml"), copy.resolve(module).resolve("pom.xml"));
        }
        try (var files = Files.walk(root.resolve("gallery-server/src"))) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(root.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target); // a new modification time: the build must not depend on it
                }
            }
        }
        String mvn = Files.isExecutable(Path.of("/usr/bin/mvn")) ? "/usr/bin/mvn" : "mvn";
        org.gallerybench.environments.Child.ok(org.gallerybench.environments.Command.of(mvn, "-o", "-B", "-q", "-ntp", "package", "-DskipTests",
                "-pl", "gallery-server").dir(copy).env("JAVA_HOME", System.getProperty("java.home"))
                .deadline(java.time.Duration.ofMinutes(5)), "mvn package");

        ServerArtifact again = ServerArtifact.of(copy.resolve("gallery-server/target/gallery-server.jar"));
        ServerArtifact here = TestServer.artifact();
        assertThat(again.digest()).as("the same sources, built again").isEqualTo(here.digest());
    }
}
