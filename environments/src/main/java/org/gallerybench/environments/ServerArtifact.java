package org.gallerybench.environments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.nio.charset.StandardCharsets;

/**
 * One build of the gallery server, as every environment deploys it: the thin jar, the libraries its manifest
 * names, and {@code jvm.options}, the production JVM flags that all environments share.
 *
 * @param jar        {@code gallery-server/target/gallery-server.jar}
 * @param libs       the jars its manifest's Class-Path names, in that order
 * @param jvmOptions the argument file beside the jar
 * @param digest     SHA-256 over all of them: the build's identity, for caches and "unchanged" checks
 */
public record ServerArtifact(Path jar, List<Path> libs, Path jvmOptions, String digest) {

    public ServerArtifact {
        libs = List.copyOf(libs);
    }

    /** Reads a built server: {@code jar} and what its manifest and folder hold. */
    public static ServerArtifact of(Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new EnvironmentException("The gallery server is not built: " + absolute
                    + " is missing. Build it with: mvn -pl gallery-server -am package -DskipTests");
        }
        Path dir = absolute.getParent();
        List<Path> libs = new ArrayList<>();
        try (JarFile file = new JarFile(absolute.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path lib = dir.resolve(entry).normalize();
                    if (!Files.isRegularFile(lib)) {
                        throw new EnvironmentException("The gallery server build is incomplete: " + lib
                                + " is missing. Rebuild it with: mvn -pl gallery-server -am package -DskipTests");
                    }
                    libs.add(lib);
                }
            }
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + absolute + ": " + e.getMessage(), e);
        }
        Path options = dir.resolve("jvm.options");
        if (!Files.isRegularFile(options)) {
            throw new EnvironmentException(options + " is missing. Rebuild the server with: mvn -pl gallery-server -am package");
        }
        return new ServerArtifact(absolute, libs, options, digestOf(absolute, libs, options));
    }

    /** Every file, with the path it must have relative to the jar's folder. */
    public List<Entry> files() {
        Path dir = jar.getParent();
        List<Entry> all = new ArrayList<>();
        all.add(new Entry(dir.relativize(jar).toString(), jar));
        for (Path lib : libs) {
            all.add(new Entry(dir.relativize(lib).toString(), lib));
        }
        all.add(new Entry(dir.relativize(jvmOptions).toString(), jvmOptions));
        return all;
    }

    /** The JVM flags from jvm.options, comments and blank lines left out. */
    public List<String> jvmFlags() {
        try {
            return Files.readAllLines(jvmOptions).stream()
                    .map(l -> l.replaceFirst("#.*$", "").strip())
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first twelve characters of the digest: short enough for tags and file names. */
    public String shortDigest() {
        return shorten(digest);
    }

    /** The first twelve characters of any build digest (one reported by a server, one written in the VM). */
    public static String shorten(String digest) {
        return digest.substring(0, Math.min(12, digest.length()));
    }

    /** A file of the build and its path relative to the jar's folder, e.g. {@code libs/helidon-webserver-4.5.0.jar}. */
    public record Entry(String relativePath, Path path) {
    }

    private static String digestOf(Path jar, List<Path> libs, Path options) {
        try {
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>(libs);
            files.addFirst(jar);
            files.add(options);
            for (Path f : files) {
                all.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                all.update(sha256(f));
            }
            return HexFormat.of().formatHex(all.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of one file. */
    public static byte[] sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return md.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
