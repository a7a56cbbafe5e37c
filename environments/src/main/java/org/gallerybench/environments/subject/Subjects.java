package org.gallerybench.environments.subject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The subjects a user can choose: those that ship in the checkout's {@code subjects/} folder (the Helidon gallery, the
 * default, and the Flask gallery), and any folder with a manifest, named by its path.
 */
public final class Subjects {
    /** The default subject: the tool's own Helidon gallery. */
    public static final String DEFAULT = "gallery";

    private Subjects() {
    }

    /** The subjects in {@code root}/subjects, by name; one whose manifest is wrong is listed with its problem. */
    public static List<Listed> list(Path root) {
        Path dir = root.resolve("subjects");
        List<Listed> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path f : folders.filter(p -> Files.isRegularFile(p.resolve(SubjectManifests.FILE))).sorted().toList()) {
                try {
                    out.add(new Listed(f, SubjectManifests.read(f), null));
                } catch (SubjectException e) {
                    out.add(new Listed(f, null, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new SubjectException("Cannot list " + dir + " (" + e.getMessage() + ").", e);
        }
        return out;
    }

    /** A subject folder, read or not. */
    public record Listed(Path dir, Subject subject, String problem) {
    }

    /**
     * The subject a user named: a name in {@code root}/subjects ("gallery", "flask-gallery"), or a path to a folder with
     * a manifest (or the manifest itself).
     */
    public static Subject find(Path root, String nameOrPath) {
        String wanted = nameOrPath == null || nameOrPath.isBlank() ? DEFAULT : nameOrPath.strip();
        Path shipped = root.resolve("subjects").resolve(wanted);
        if (wanted.matches("[A-Za-z0-9_-]+") && Files.isRegularFile(shipped.resolve(SubjectManifests.FILE))) {
            return SubjectManifests.read(shipped);
        }
        Path path = Path.of(wanted).toAbsolutePath().normalize();
        if (Files.exists(path)) {
            return SubjectManifests.read(path);
        }
        List<String> names = list(root).stream().map(l -> l.dir().getFileName().toString()).toList();
        throw new SubjectException("No subject '" + wanted + "': choose one of " + String.join(", ", names)
                + ", or give the path of a folder that holds a " + SubjectManifests.FILE + ".");
    }
}
