package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.Escape;
import org.gallerybench.environments.FileLocks;
import org.gallerybench.environments.Scratch;
import org.gallerybench.environments.ServerArtifact;
import java.io.File;
import java.util.Locale;
import java.util.function.BiFunction;
import org.apache.commons.io.file.PathUtils;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectManifests;

/**
 * The Docker environment's images: one per build of the server, built from {@code environments/docker/Dockerfile} on
 * the local base image, tagged with the build's short digest, and pruned to the newest {@value #KEEP_IMAGES}. Only
 * this tool's images are touched (its label and its repository).
 */
final class DockerImages {
    /** Where a subject's files are in its image (and where a Dockerfile of its own is expected to put them). */
    static final String APP_DIR = "/app";

    private static final Logger LOG = Logger.getLogger(DockerImages.class.getName());

    /** How many builds' images are kept: this one and the one before. */
    static final int KEEP_IMAGES = 2;

    private final DockerSettings settings;
    private final Supplier<DockerClient> docker;

    DockerImages(DockerSettings settings, Supplier<DockerClient> docker) {
        this.settings = settings;
        this.docker = docker;
    }

    /** The tag of a build's image. */
    String tag(ServerArtifact artifact) {
        return settings.image() + ":" + artifact.shortDigest();
    }

    /** The image of this build, built now unless it exists already; older builds' images are pruned after a build. */
    String ensure(ServerArtifact artifact) {
        String tag = tag(artifact);
        if (exists(tag)) {
            return tag;
        }
        // Built once, whoever asks: a second process (or the gVisor environment beside the container's) waits and adopts it.
        try (FileLocks.Held ignored = FileLocks.acquire(FileLocks.machineWide("image-" + tag), "building " + tag, holder -> { })) {
            return exists(tag) ? tag : build(artifact, tag);
        }
    }

    private String build(ServerArtifact artifact, String tag) {
        String base = settings.baseImage().orElseGet(() -> exists(DockerSettings.LOCAL_BASE) ? DockerSettings.LOCAL_BASE : null);
        try (Scratch context = buildContext(artifact)) {
            build(context.dir().toFile(), null, Set.of(tag, settings.image() + ":latest"),
                    Map.of(DockerSettings.MANAGED_LABEL, "true", "org.gallerybench.build", artifact.digest()), base, base == null, (e, tail) -> {
                        String hint = base == null
                                ? " No local base image was found, so it tried to pull eclipse-temurin:25-jre; without a registry, build"
                                  + " one first: environments/docker/build-base-image.sh."
                                : "";
                        return new EnvironmentException("The image build failed (base image " + (base == null ? "eclipse-temurin:25-jre" : base)
                                + "): " + rootMessage(e) + "." + hint + "\nLast lines of the build log:\n  " + tail, e);
                    });
        }
        pruneOldImages(tag);
        return tag;
    }

    /**
     * Each build is a new image of about 185 MB: after a new one is built, the images of older builds go, keeping the
     * newest {@value #KEEP_IMAGES}. Only this tool's (its label, its repository); an image a container still uses stays
     * (Docker refuses to remove it without force, which this never uses). Returns the tags removed.
     */
    List<String> pruneOldImages(String current) {
        return pruneOldImages(current, settings.image());
    }

    /** As above, for the images of repository {@code repo}. */
    List<String> pruneOldImages(String current, String repo) {
        List<Image> ours = new ArrayList<>(docker.get().listImagesCmd().withLabelFilter(DockerEnvironment.MANAGED).exec());
        ours.sort(Comparator.comparing((Image i) -> i.getCreated() == null ? 0L : i.getCreated()).reversed());
        List<String> removed = new ArrayList<>();
        int kept = 0;
        for (Image i : ours) {
            List<String> tags = i.getRepoTags() == null ? List.of()
                    : List.of(i.getRepoTags()).stream().filter(t -> t.startsWith(repo + ":")).toList();
            if (tags.isEmpty()) {
                continue;
            }
            if (kept < KEEP_IMAGES || tags.contains(current) || tags.contains(repo + ":latest")) {
                kept++;
                continue;
            }
            for (String t : tags) {
                try {
                    docker.get().removeImageCmd(t).withForce(false).exec();
                    removed.add(t);
                } catch (RuntimeException inUse) {
                    // a container still uses it, or it went meanwhile: leave it
                }
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("Removed the images of older builds: " + String.join(", ", removed));
        }
        return removed;
    }

    /** Removes this tool's images without a tag (left by an interrupted build); returns how many. */
    int removeDangling() {
        int removed = 0;
        for (Image i : docker.get().listImagesCmd().withDanglingFilter(true).withLabelFilter(DockerEnvironment.MANAGED).exec()) {
            try {
                docker.get().removeImageCmd(i.getId()).withForce(true).exec();
                removed++;
            } catch (RuntimeException inUse) {
                // still used by something: leave it
            }
        }
        return removed;
    }

    /**
     * A subject's image, built now unless the image of this digest exists: from the Dockerfile in its folder (the folder
     * is the build context, read only), or from the offline base image with its Debian packages, its files in /app and
     * its command. Its repository is {@code gallerybench/subject-NAME}, pruned like the gallery's.
     */
    String ensureSubject(Subject subject) {
        Subject.Container c = subject.container().orElseThrow();
        String repo = subjectRepository(subject);
        String tag = repo + ":" + subject.shortDigest();
        if (exists(tag)) {
            return tag;
        }
        try (FileLocks.Held ignored = FileLocks.acquire(FileLocks.machineWide("image-" + tag), "building " + tag, holder -> { })) {
            return exists(tag) ? tag : buildSubject(subject, c, repo, tag);
        }
    }

    private String buildSubject(Subject subject,
                                Subject.Container c, String repo, String tag) {
        String base = settings.baseImage().orElseGet(() -> exists(DockerSettings.LOCAL_BASE) ? DockerSettings.LOCAL_BASE : null);
        if (base == null && c.dockerfile().isEmpty()) {
            throw new EnvironmentException(subject.name() + " (docker): no local base image to build on: build one first with"
                    + " environments/docker/build-base-image.sh (scripts/setup-machine does).");
        }
        try (Scratch context = c.dockerfile().isEmpty() ? subjectContext(subject, c, base) : null) {
            build(context != null ? context.dir().toFile() : subject.dir().toFile(),
                    context != null ? null : subject.dir().resolve(c.dockerfile()).toFile(), Set.of(tag),
                    Map.of(DockerSettings.MANAGED_LABEL, "true", "org.gallerybench.subject", subject.name(), "org.gallerybench.build",
                            subject.digest()), context != null ? null : base, false, (e, tail) -> {
                        String where = c.dockerfile().isEmpty() ? "check packages, files and command under [container] in "
                                : "check " + c.dockerfile() + " in ";
                        return new EnvironmentException(subject.name() + " (docker): its image did not build: " + rootMessage(e) + ". " + where
                                + subject.dir().resolve(SubjectManifests.FILE) + ".\nLast lines of the build:\n  "
                                + tail, e);
                    });
        }
        pruneOldImages(tag, repo);
        return tag;
    }

    static String subjectRepository(Subject subject) {
        return "gallerybench/subject-" + subject.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The build context of a subject without a Dockerfile: its files, and a Dockerfile on the base image that installs its
     * packages from the machine's Debian mirror (the base image's sources), runs as a user of its own, and keeps its
     * store at /data/uploads.
     */
    private static Scratch subjectContext(Subject subject,
                                          Subject.Container c, String base) {
        Scratch context = Scratch.create("gallerybench-subject-");
        try {
            for (String f : c.files()) {
                Path from = subject.dir().resolve(f).normalize();
                if (Files.isDirectory(from)) {
                    PathUtils.copyDirectory(from, context.dir().resolve("app").resolve(f));
                } else {
                    Path to = context.dir().resolve("app").resolve(f);
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to);
                }
            }
            Files.createDirectories(context.dir().resolve("app"));
            // Every manifest value goes in through Escape.dockerfileString, as a word of an exec form: the packages are the
            // install script's arguments after "--" (never read by the shell, never an option), the command the CMD's words.
            StringBuilder df = new StringBuilder("FROM " + base + "\n");
            if (!c.packages().isEmpty()) {
                List<String> run = new ArrayList<>(List.of("sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                        + " --no-install-recommends -- \"$@\" && rm -rf /var/lib/apt/lists/*", "install-packages"));
                run.addAll(c.packages());
                df.append("RUN ").append(execForm(run)).append("\n");
            }
            df.append("RUN useradd --system --create-home app && mkdir -p /data/uploads && chown app /data/uploads\n")
                    .append("COPY app/ /app/\n");
            // A store inside the app's files: an empty folder the app's user owns, where the environment mounts the volume.
            String folder = subject.store().filter(Subject.Store::inside).map(Subject.Store::folder).orElse("");
            if (!folder.isEmpty()) {
                Path inContext = context.dir().resolve("app").resolve(folder).normalize();
                if (Files.exists(inContext)) {
                    PathUtils.deleteDirectory(inContext); // images of the user's folder: not the app
                }
                df.append("RUN ").append(execForm(List.of("mkdir", "-p", APP_DIR + "/" + folder))).append("\n")
                        .append("RUN ").append(execForm(List.of("chown", "app", APP_DIR + "/" + folder))).append("\n");
            }
            df.append("WORKDIR /app\n")
                    .append("ENV PYTHONDONTWRITEBYTECODE=1\n")
                    .append("USER app\n")
                    .append("EXPOSE 8080\n")
                    // What `docker run` of the image does by hand; the environment gives each container its own command
                    // (its port and address), by the same rule (Subject.command).
                    .append("CMD ").append(execForm(Subject.command(c.command(), "0.0.0.0",
                            DockerEnvironment.CONTAINER_PORT, "/app"))).append("\n");
            context.write("Dockerfile", df.toString());
            return context;
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** An exec-form instruction's words: ["a", "b"], each through {@link Escape#dockerfileString}. */
    private static String execForm(List<String> words) {
        return "[" + String.join(", ", words.stream().map(Escape::dockerfileString).toList()) + "]";
    }

    /**
     * Builds {@code dir} (with {@code dockerfile}, or its own Dockerfile when null) into {@code tags}; {@code base}, when
     * given, is the BASE_IMAGE build argument; {@code pull} lets the engine pull the Dockerfile's base. A failure becomes
     * {@code failed}'s error, given the last lines of the build's output.
     */
    private void build(File dir, File dockerfile, Set<String> tags, Map<String, String> labels, String base, boolean pull,
                       BiFunction<RuntimeException, String, EnvironmentException> failed) {
        List<String> log = new ArrayList<>();
        try {
            var build = docker.get().buildImageCmd(dir).withTags(tags).withLabels(labels).withRemove(true).withForcerm(true)
                    .withPull(pull);
            if (dockerfile != null) {
                build.withDockerfile(dockerfile);
            }
            if (base != null) {
                build.withBuildArg("BASE_IMAGE", base);
            }
            build.exec(new BuildImageResultCallback() {
                @Override
                public void onNext(BuildResponseItem item) {
                    if (item.getStream() != null) {
                        item.getStream().lines().filter(l -> !l.isBlank()).forEach(log::add);
                    }
                    if (item.isErrorIndicated() && item.getErrorDetail() != null) {
                        log.add(item.getErrorDetail().getMessage());
                    }
                    super.onNext(item);
                }
            }).awaitImageId(15, TimeUnit.MINUTES);
        } catch (EnvironmentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed.apply(e, String.join("\n  ", log.subList(Math.max(0, log.size() - 10), log.size())));
        }
    }

    boolean exists(String name) {
        try {
            docker.get().inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static Scratch buildContext(ServerArtifact artifact) {
        Scratch context = Scratch.create("gallerybench-docker-");
        try {
            context.copyResource(DockerEnvironment.class, "Dockerfile", "Dockerfile");
            for (ServerArtifact.Entry entry : artifact.files()) {
                Path target = context.dir().resolve("app").resolve(entry.relativePath());
                Files.createDirectories(target.getParent());
                Files.copy(entry.path(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            // The server says which build it runs (X-Gallery-Build) from the file beside its jar.
            context.write("app/build", artifact.digest() + "\n");
            return context;
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    }
}
