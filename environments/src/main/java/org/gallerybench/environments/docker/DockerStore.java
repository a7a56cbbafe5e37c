package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;

/**
 * The container's gallery store: a named volume mounted at /data/uploads, made when first needed, and set to a
 * dataset by the shared reset script run in a short-lived container of the same image that mounts the volume, the
 * dataset and the script (so it needs the engine on this machine).
 */
final class DockerStore {
    static final String MOUNT = "/data/uploads";

    private final DockerSettings settings;
    private final Supplier<DockerClient> docker;

    DockerStore(DockerSettings settings, Supplier<DockerClient> docker) {
        this.settings = settings;
        this.docker = docker;
    }

    /** The volume, as a bind for a helper container: at {@value #MOUNT}. */
    Bind bind() {
        return bind(MOUNT);
    }

    /** The volume at {@code mountPoint}: where the app keeps its images (/data/uploads, or a folder inside /app). */
    Bind bind(String mountPoint) {
        return new Bind(settings.volumeName(), new Volume(mountPoint));
    }

    void ensureVolume() {
        try {
            docker.get().inspectVolumeCmd(settings.volumeName()).exec();
        } catch (NotFoundException e) {
            docker.get().createVolumeCmd().withName(settings.volumeName()).withLabels(DockerEnvironment.MANAGED).exec();
        }
    }

    void removeVolume() {
        try {
            docker.get().removeVolumeCmd(settings.volumeName()).exec();
        } catch (NotFoundException gone) {
            // already gone
        }
    }

    /** The names in the volume, listed by a helper container of {@code image} ({@code ls -1A}). */
    List<String> list(String image, Logs logs) {
        ensureVolume();
        String helper = null;
        try {
            helper = docker.get().createContainerCmd(image)
                    .withEntrypoint("ls")
                    .withCmd("-1A", MOUNT)
                    .withLabels(DockerEnvironment.MANAGED)
                    .withHostConfig(HostConfig.newHostConfig().withBinds(bind()))
                    .exec().getId();
            docker.get().startContainerCmd(helper).exec();
            int code = docker.get().waitContainerCmd(helper).exec(new WaitContainerResultCallback()).awaitStatusCode(1, TimeUnit.MINUTES);
            List<String> out = logs.tail(helper, 100_000);
            if (code != 0) {
                throw new EnvironmentException("Listing the container's store failed (exit " + code + "): " + String.join(" / ", out));
            }
            return out.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
        } finally {
            if (helper != null) {
                try {
                    docker.get().removeContainerCmd(helper).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // gone
                }
            }
        }
    }

    /** Runs {@code script} against the volume with {@code dataset} in a helper container of {@code image}; its last line. */
    String reset(String image, Path script, Dataset dataset, Logs logs) {
        if (settings.engineHost().isPresent()) {
            throw new EnvironmentException("Setting the container's gallery to the benchmark's images needs the Docker engine on this"
                    + " machine (it mounts the images); with a remote engine, run with --dataset 0 to leave its gallery as it is.");
        }
        ensureVolume();
        String helper = null;
        try {
            helper = docker.get().createContainerCmd(image)
                    .withEntrypoint("sh")
                    .withCmd("/reset/" + script.getFileName(), MOUNT, "/dataset")
                    .withLabels(DockerEnvironment.MANAGED)
                    .withHostConfig(HostConfig.newHostConfig().withBinds(bind(),
                            new Bind(dataset.dir().toString(), new Volume("/dataset"), AccessMode.ro),
                            new Bind(script.getParent().toString(), new Volume("/reset"), AccessMode.ro)))
                    .exec().getId();
            docker.get().startContainerCmd(helper).exec();
            int code = docker.get().waitContainerCmd(helper).exec(new WaitContainerResultCallback()).awaitStatusCode(5, TimeUnit.MINUTES);
            List<String> log = logs.tail(helper, 20);
            if (code != 0) {
                throw new EnvironmentException("Setting the container's gallery to the benchmark's images failed (exit " + code + "):\n  "
                        + String.join("\n  ", log));
            }
            return log.isEmpty() ? "store reset" : log.getLast();
        } finally {
            if (helper != null) {
                try {
                    docker.get().removeContainerCmd(helper).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // gone
                }
            }
        }
    }

    /** A container's last log lines. */
    interface Logs {
        List<String> tail(String containerId, int lines);
    }
}
