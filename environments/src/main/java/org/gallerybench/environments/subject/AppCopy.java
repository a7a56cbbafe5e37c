package org.gallerybench.environments.subject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.io.file.PathUtils;

/**
 * A copy of an app's files that the run may write in: an app that keeps its images inside its own folder
 * ({@code [store] folder}) runs from here, so that the user's folder is never written. Made from the app's folder and
 * made again when its files change (by the folder's digest); the store folder inside it is kept across copies (the
 * run resets it to its dataset anyway) and its contents in the user's folder are not copied (images, not code). Hidden
 * files and caches are left out, as the digest leaves them out.
 */
final class AppCopy {
    private static final String DIGEST = ".gallerybench-copy-of";

    private AppCopy() {
    }

    /** The copy of {@code subject}'s files in {@code copy}, made or refreshed now; its store folder exists afterwards. */
    static Path sync(Subject subject, Path copy) throws IOException {
        String folder = subject.store().map(Subject.Store::folder).orElse("");
        Path store = folder.isEmpty() ? null : copy.resolve(folder).normalize();
        Path marker = copy.resolve(DIGEST);
        boolean current = Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(subject.digest());
        if (!current) {
            Files.createDirectories(copy);
            clear(copy, store);
            Path from = subject.dir();
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path f : walk.sorted().toList()) {
                    Path relative = from.relativize(f);
                    if (relative.toString().isEmpty() || SubjectManifests.ignored(relative)
                            || (store != null && copy.resolve(relative).normalize().startsWith(store))) {
                        continue;
                    }
                    Path to = copy.resolve(relative.toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else if (Files.isRegularFile(f)) {
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Files.writeString(marker, subject.digest() + "\n", StandardCharsets.UTF_8);
        }
        if (store != null) {
            Files.createDirectories(store);
        }
        return copy;
    }

    /** Removes everything in {@code copy} but the store folder (and the folders leading to it). */
    private static void clear(Path copy, Path keep) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(copy)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (p.equals(copy) || (keep != null && (p.startsWith(keep) || keep.startsWith(p)))) {
                continue;
            }
            if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                PathUtils.deleteDirectory(p);
            } else {
                Files.deleteIfExists(p);
            }
        }
    }
}
