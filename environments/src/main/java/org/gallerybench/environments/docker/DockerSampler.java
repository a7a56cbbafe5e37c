package org.gallerybench.environments.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.TopContainerResponse;
import com.github.dockerjava.api.model.Statistics;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.gallerybench.environments.HostProcesses;
import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;

/**
 * Streams {@code docker stats} for a container: CPU and cgroup memory exactly as the CLI computes them, the first
 * sample (which has no previous reading) dropped; the JVM's RSS comes from {@code docker top}; what the host pays
 * besides the cgroup (docker-proxy, the containerd shim) from /proc. The engine sends one reading a second; a longer
 * interval keeps every n-th.
 */
final class DockerSampler {
    private DockerSampler() {
    }

    static SampleStream open(DockerClient docker, String containerId, DockerSettings settings, Duration interval) {
        AtomicLong lastPublished = new AtomicLong();
        AtomicBoolean first = new AtomicBoolean(true);
        SampleStream[] out = new SampleStream[1];
        // What the host pays besides the container's cgroup: the userland proxy that carries every byte to the
        // published port, and the container's containerd shim. Only visible when the engine runs on this machine.
        HostProcesses helpers = settings.engineHost().isEmpty()
                ? new HostProcesses(HostProcesses.dockerProxy(settings.hostPort()).or(HostProcesses.containerdShim(containerId))) : null;
        ResultCallback.Adapter<Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics s) {
                if (first.getAndSet(false) && !DockerStatsMath.hasPrevious(s)) {
                    return;
                }
                long now = System.nanoTime();
                if (now - lastPublished.get() < interval.toNanos() - 200_000_000L) {
                    return;
                }
                lastPublished.set(now);
                double cpu = DockerStatsMath.cpuPercent(s);
                long memory = DockerStatsMath.memoryBytes(s);
                HostProcesses.Reading extra = helpers == null ? new HostProcesses.Reading(0, 0, 0) : helpers.read();
                // The JVM's RSS; under gVisor (whose ps has no RSS) the sandbox's cgroup; for another app, all its processes'.
                long app = settings.gvisor() ? javaRss(docker, containerId) : appRss(docker, containerId);
                if (app < 0 && settings.gvisor()) {
                    // gVisor's ps has no RSS: the sandbox's cgroup (the JVM, runsc's sandbox and gofer) is the app's figure.
                    app = memory;
                }
                out[0].publish(new ResourceSample(Instant.now(), cpu, app, memory, cpu + extra.cpuPercent(),
                        memory + extra.rssBytes(), extra.processes() > 0 ? "docker stats + docker-proxy, shim" : "docker stats"));
            }

            @Override
            public void onError(Throwable t) {
                if (!out[0].isClosed()) {
                    out[0].fail(DockerErrors.explain(t instanceof RuntimeException r ? r : new RuntimeException(t),
                            settings.resolvedHost()));
                }
            }
        };
        out[0] = new SampleStream(() -> {
            try {
                callback.close();
            } catch (IOException ignored) {
                // closing
            }
        });
        docker.statsCmd(containerId).exec(callback);
        return out[0];
    }

    /**
     * The app's own memory in the container: the JVM's RSS (the gallery); for any other app (a subject), the RSS of all
     * its processes together (gunicorn's master and workers), the init process left out; -1 if it cannot be read.
     */
    static long appRss(DockerClient docker, String id) {
        long java = javaRss(docker, id);
        if (java >= 0) {
            return java;
        }
        try {
            TopContainerResponse top = docker.topContainerCmd(id).withPsArgs("-o pid,rss,args").exec();
            List<String> titles = List.of(top.getTitles());
            int rss = titles.indexOf("RSS");
            int args = Math.max(titles.indexOf("COMMAND"), titles.indexOf("ARGS"));
            if (rss < 0 || args < 0) {
                return -1;
            }
            long sum = 0;
            for (String[] row : top.getProcesses()) {
                String program = row[args].strip().split("\\s+")[0];
                if (!program.endsWith("docker-init") && !program.endsWith("tini")) {
                    sum += Long.parseLong(row[rss].trim()) * 1024;
                }
            }
            return sum > 0 ? sum : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** RSS of the JVM in the container, from {@code docker top -o pid,rss,args}; -1 if it cannot be read. */
    static long javaRss(DockerClient docker, String id) {
        try {
            TopContainerResponse top = docker.topContainerCmd(id).withPsArgs("-o pid,rss,args").exec();
            List<String> titles = List.of(top.getTitles());
            int rss = titles.indexOf("RSS");
            int args = Math.max(titles.indexOf("COMMAND"), titles.indexOf("ARGS"));
            for (String[] row : top.getProcesses()) {
                // The JVM itself, not the init process whose arguments also name java.
                String program = rss >= 0 && args >= 0 ? row[args].strip().split("\\s+")[0] : "";
                if (program.equals("java") || program.endsWith("/java")) {
                    return Long.parseLong(row[rss].trim()) * 1024;
                }
            }
        } catch (RuntimeException e) {
            // the container is stopping, or ps has other columns: report unknown
        }
        return -1;
    }
}
