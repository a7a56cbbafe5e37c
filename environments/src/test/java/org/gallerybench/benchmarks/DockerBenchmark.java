package org.gallerybench.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.gallerybench.environments.ResourceSample;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.docker.DockerEnvironment;
import org.gallerybench.environments.docker.DockerSettings;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/**
 * The container (issue 3): restart and fresh start to the first 200 (median of 10, with phases), the image size,
 * the container's memory idle and under load as docker stats computes it, and, for comparison, the local process's
 * start to the first 200 (median of 10).
 */
public final class DockerBenchmark {
    private DockerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Report report = new Report("docker");
        DockerSettings settings = DockerSettings.defaults().withHostPort(BenchSupport.freePort()).withContainerName("gallerybench-bench");
        try (DockerEnvironment docker = new DockerEnvironment(settings)) {
            var connection = docker.connect();
            System.out.println("Docker benchmark: engine " + connection.engineVersion() + ", API " + connection.apiVersion());
            docker.removeContainer();
            docker.removeVolume();
            long buildStart = System.nanoTime();
            docker.deploy(TestServer.artifact());
            report.figure("image_build_or_lookup_s", (System.nanoTime() - buildStart) / 1e9, "s", null);
            long size = connection.client().inspectImageCmd(docker.image().orElseThrow()).exec().getSize();
            report.section("Image " + docker.image().orElseThrow());
            report.figure("image_size_mb", size / 1e6, "MB", "<= 200");

            report.section("Fresh start: create, start, first 200 (10 times)");
            List<Double> freshTotal = new ArrayList<>();
            List<Double> freshCreate = new ArrayList<>();
            List<Double> freshStart = new ArrayList<>();
            List<Double> freshJvm = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StartTiming t = docker.freshStart();
                freshTotal.add(t.totalMillis());
                freshCreate.add(ms(t.between(StartTiming.ISSUED, StartTiming.CREATED).orElseThrow()));
                freshStart.add(ms(t.between(StartTiming.CREATED, StartTiming.RUNNING).orElseThrow()));
                freshJvm.add(ms(t.between(StartTiming.RUNNING, StartTiming.FIRST_200).orElseThrow()));
            }
            report.figure("fresh_start_total_median_ms", Report.median(freshTotal), "ms", null);
            report.figure("fresh_start_create_median_ms", Report.median(freshCreate), "ms", null);
            report.figure("fresh_start_docker_start_median_ms", Report.median(freshStart), "ms", null);
            report.figure("fresh_start_jvm_median_ms", Report.median(freshJvm), "ms", "<= 700");
            report.put("fresh_start", Map.of("total_ms", Report.summary(freshTotal, "ms"), "create_ms", Report.summary(freshCreate, "ms"),
                    "start_ms", Report.summary(freshStart, "ms"), "running_to_first_200_ms", Report.summary(freshJvm, "ms")));

            report.section("Restart: docker restart, first 200 (10 times)");
            List<Double> restartTotal = new ArrayList<>();
            List<Double> restartCommand = new ArrayList<>();
            List<Double> restartJvm = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StartTiming t = docker.restart();
                restartTotal.add(t.totalMillis());
                restartCommand.add(ms(t.between(StartTiming.ISSUED, StartTiming.RUNNING).orElseThrow()));
                restartJvm.add(ms(t.between(StartTiming.RUNNING, StartTiming.FIRST_200).orElseThrow()));
            }
            report.figure("restart_total_median_ms", Report.median(restartTotal), "ms", null);
            report.figure("restart_command_median_ms", Report.median(restartCommand), "ms", null);
            report.figure("restart_jvm_median_ms", Report.median(restartJvm), "ms", "<= 700");
            report.put("restart", Map.of("total_ms", Report.summary(restartTotal, "ms"), "command_ms", Report.summary(restartCommand, "ms"),
                    "running_to_first_200_ms", Report.summary(restartJvm, "ms")));

            report.section("Memory from docker stats (usage - total_inactive_file), 50 images in the gallery");
            BenchSupport.upload50Photos(docker.endpoint());
            Thread.sleep(2000);
            List<ResourceSample> idle = samples(docker, 4, null);
            Wrk.run(docker.endpoint(), 2, 64, 5);
            List<ResourceSample> loaded = new ArrayList<>();
            Thread load = Thread.ofPlatform().start(() -> Wrk.run(docker.endpoint(), 2, 64, 12));
            loaded.addAll(samples(docker, 10, load));
            load.join();
            report.figure("container_memory_idle_mib", BenchSupport.mib(median(idle, true)), "MiB", null);
            report.figure("container_memory_under_load_mib", BenchSupport.mib(peak(loaded, true)), "MiB", "<= 100");
            report.figure("jvm_rss_idle_mib", BenchSupport.mib(median(idle, false)), "MiB", null);
            report.figure("jvm_rss_under_load_mib", BenchSupport.mib(peak(loaded, false)), "MiB", null);
            report.figure("container_cpu_under_load_percent", loaded.stream().mapToDouble(ResourceSample::cpuPercent).max().orElse(0), "%", null);

            docker.removeContainer();
            docker.removeVolume();
        }

        report.section("Local process, for comparison: java -jar to first 200 (10 restarts)");
        Path data = Files.createTempDirectory("gallerybench-docker-bench-local");
        try (LocalEnvironment local = new LocalEnvironment(LocalSettings.defaults(data).withPort(BenchSupport.freePort())
                .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot")))) {
            local.deploy(TestServer.artifact());
            local.start();
            List<Double> starts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                starts.add(local.restart().totalMillis());
            }
            report.figure("local_start_median_ms", Report.median(starts), "ms", null);
            report.put("local_start_ms", Report.summary(starts, "ms"));
        } finally {
            BenchSupport.deleteTree(data);
        }
        report.write();
    }

    private static List<ResourceSample> samples(DockerEnvironment docker, int n, Thread until) throws InterruptedException {
        List<ResourceSample> out = new ArrayList<>();
        try (SampleStream stats = docker.openSampler(Duration.ofSeconds(1))) {
            while (out.size() < n && (until == null || until.isAlive())) {
                stats.poll(Duration.ofSeconds(10)).ifPresent(out::add);
            }
        }
        return out;
    }

    private static long median(List<ResourceSample> samples, boolean container) {
        return (long) Report.median(samples.stream().map(s -> (double) (container ? s.environmentMemoryBytes() : s.appMemoryBytes())).toList());
    }

    private static long peak(List<ResourceSample> samples, boolean container) {
        return samples.stream().mapToLong(s -> container ? s.environmentMemoryBytes() : s.appMemoryBytes()).max().orElse(0);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
