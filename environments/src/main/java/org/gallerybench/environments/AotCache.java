package org.gallerybench.environments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.Comparator;

/**
 * A JDK 25 AOT cache for one build of the server on one Java runtime. The JVM does not notice a stale cache (it
 * would run old classes), so the cache is keyed by the build's digest and the runtime, and made afresh for each.
 * Training runs the server's own short workload ({@code --aot-training}) with {@code -XX:AOTCacheOutput}.
 */
public final class AotCache {
    private static final Logger LOG = Logger.getLogger(AotCache.class.getName());
    private static final Duration TRAINING_DEADLINE = Duration.ofMinutes(3);

    /** How many builds' caches are kept. */
    static final int KEEP = 2;

    private AotCache() {
    }

    /** The cache file for this build and runtime, if it was made: nothing is trained. */
    public static Optional<Path> find(Path javaHome, ServerArtifact artifact, Path cacheDir) {
        Path cache = cacheDir.resolve("gallery-" + key(javaHome, artifact) + ".aot");
        return Files.isRegularFile(cache) ? Optional.of(cache) : Optional.empty();
    }

    /**
     * The cache file for this build and runtime, made now if missing; empty if training failed (the server then runs
     * without). Made once, whoever asks: another process or thread that trains the same cache meanwhile is waited for,
     * and its cache adopted.
     */
    public static Optional<Path> ensure(Path javaHome, ServerArtifact artifact, Path cacheDir) {
        Path cache = cacheDir.resolve("gallery-" + key(javaHome, artifact) + ".aot");
        try {
            return FileLocks.once(cacheDir.resolve(cache.getFileName() + ".lock"), "training the AOT cache of build " + artifact.digest(),
                    () -> found(cache), () -> train(javaHome.resolve("bin/java"), artifact, cacheDir, cache));
        } catch (IOException e) {
            LOG.warning("Cannot make an AOT cache in " + cacheDir + ": " + e.getMessage() + "; the server will start without one.");
            return Optional.empty();
        } catch (EnvironmentException e) {
            LOG.warning("No AOT cache (" + e.getMessage() + "); the server will start without one.");
            return Optional.empty();
        }
    }

    /** The cache, if it is there: marked as used (the newest, for pruning). */
    private static Optional<Optional<Path>> found(Path cache) {
        if (!Files.isRegularFile(cache)) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(cache, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // pruning then sees it as older: harmless
        }
        return Optional.of(Optional.of(cache));
    }

    /** Trains it into a file of its own, renamed into place when whole; empty when training failed. */
    private static Optional<Path> train(Path java, ServerArtifact artifact, Path cacheDir, Path cache) throws IOException {
        Files.createDirectories(cacheDir);
        String mine = ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path temp = cacheDir.resolve(cache.getFileName() + ".training-" + mine);
        Path log = cacheDir.resolve(cache.getFileName() + ".training-" + mine + ".log");
        List<String> command = new ArrayList<>(List.of(java.toString(), "@" + artifact.jvmOptions(),
                "-XX:AOTCacheOutput=" + temp, "-jar", artifact.jar().toString(), "--aot-training"));
        Process training = new ProcessBuilder(command)
                .directory(artifact.jar().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!training.waitFor(TRAINING_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                training.destroyForcibly();
                LOG.warning("AOT training did not finish within " + TRAINING_DEADLINE + "; the server will start without a cache. See " + log);
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            training.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (training.exitValue() != 0 || !Files.isRegularFile(temp)) {
            LOG.warning("AOT training failed (exit " + training.exitValue() + "); the server will start without a cache. See " + log);
            Files.deleteIfExists(temp);
            return Optional.empty();
        }
        Files.move(temp, cache, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(log);
        removeOthers(cacheDir, cache);
        return Optional.of(cache);
    }

    /** The JVM flag that uses a cache. */
    public static String flag(Path cache) {
        return "-XX:AOTCache=" + cache;
    }

    static String key(Path javaHome, ServerArtifact artifact) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(artifact.digest().getBytes(StandardCharsets.UTF_8));
            md.update(javaHome.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            Path release = javaHome.resolve("release");
            if (Files.isRegularFile(release)) {
                md.update(Files.readAllBytes(release));
            }
            md.update(artifact.jar().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Caches of older builds go: the newest {@value #KEEP} stay (this one and the one before, to switch back cheaply). */
    static void removeOthers(Path cacheDir, Path keep) {
        try (var files = Files.list(cacheDir)) {
            List<Path> caches = files.filter(p -> p.getFileName().toString().matches("gallery-[0-9a-f]{16}\\.aot") && !p.equals(keep))
                    .sorted(Comparator.comparing(AotCache::modified).reversed()).toList();
            caches.stream().skip(KEEP - 1).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
