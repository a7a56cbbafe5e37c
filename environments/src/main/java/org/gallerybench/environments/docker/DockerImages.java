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
import org.gallerybench.environments.Scratch;
import org.gallerybench.environments.ServerArtifact;

/**
 * The Docker environment's images: one per build of the server, built from {@code environments/docker/Dockerfile} on
 * the local base image, tagged with the build's short digest, and pruned to the newest {@value #KEEP_IMAGES}. Only
 * this tool's images are touched (its label and its repository).
 */
final class DockerImages {
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
        String base = settings.baseImage().orElseGet(() -> exists(DockerSettings.LOCAL_BASE) ? DockerSettings.LOCAL_BASE : null);
        List<String> log = new ArrayList<>();
        try (Scratch context = buildContext(artifact)) {
            var build = docker.get().buildImageCmd(context.dir().toFile())
                    .withTags(Set.of(tag, settings.image() + ":latest"))
                    .withLabels(Map.of(DockerSettings.MANAGED_LABEL, "true", "org.gallerybench.build", artifact.digest()))
                    .withRemove(true)
                    .withForcerm(true)
                    .withPull(base == null);
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
        } catch (RuntimeException e) {
            if (e instanceof EnvironmentException) {
                throw e;
            }
            String tail = String.join("\n  ", log.subList(Math.max(0, log.size() - 12), log.size()));
            String hint = base == null
                    ? " No local base image was found, so it tried to pull eclipse-temurin:25-jre; without a registry, build"
                      + " one first: environments/docker/build-base-image.sh."
                    : "";
            throw new EnvironmentException("The image build failed (base image " + (base == null ? "eclipse-temurin:25-jre" : base)
                    + "): " + rootMessage(e) + "." + hint + "\nLast lines of the build log:\n  " + tail, e);
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
        List<Image> ours = new ArrayList<>(docker.get().listImagesCmd().withLabelFilter(DockerEnvironment.MANAGED).exec());
        ours.sort(Comparator.comparing((Image i) -> i.getCreated() == null ? 0L : i.getCreated()).reversed());
        List<String> removed = new ArrayList<>();
        int kept = 0;
        for (Image i : ours) {
            List<String> tags = i.getRepoTags() == null ? List.of()
                    : List.of(i.getRepoTags()).stream().filter(t -> t.startsWith(settings.image() + ":")).toList();
            if (tags.isEmpty()) {
                continue;
            }
            if (kept < KEEP_IMAGES || tags.contains(current) || tags.contains(settings.image() + ":latest")) {
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
