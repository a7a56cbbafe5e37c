package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The CPU % and memory series of known processes match what /proc and ps say. */
class ProcessSamplerTest {

    @Test
    void aBusyLoopReadsAsOneFullCore() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(300);
            // The same figure computed independently from two /proc/PID/stat readings over the same window. A shared
            // machine (CI, or tests running beside this one) may give the loop less than a core: the sampler must
            // agree with /proc whatever the loop gets, and never read more than one core for one thread.
            long[] a = stat(busy.pid());
            long t0 = System.nanoTime();
            List<ResourceSample> series = series(busy.pid(), 4);
            long[] b = stat(busy.pid());
            double independent = ((b[0] + b[1]) - (a[0] + a[1])) * 1e9 / 100.0 / (System.nanoTime() - t0) * 100;
            assertThat(independent).as("the loop got a good part of a core").isGreaterThan(30.0);
            assertThat(series).allSatisfy(s -> assertThat(s.cpuPercent()).isBetween(5.0, 115.0));
            double ours = series.stream().mapToDouble(ResourceSample::cpuPercent).average().orElseThrow();
            assertThat(ours).isCloseTo(independent, within(15.0));
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleProcessReadsAsAlmostNothing() throws Exception {
        Process idle = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(series(idle.pid(), 3)).allSatisfy(s -> assertThat(s.cpuPercent()).isLessThan(2.0));
        } finally {
            idle.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void memoryMatchesVmRssAndPs() throws Exception {
        // A JVM that touches 200 MiB and holds it.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path source = Files.createTempFile("Hold", ".java");
        Files.writeString(source, """
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        byte[][] blocks = new byte[800][];
                        for (int i = 0; i < blocks.length; i++) { blocks[i] = new byte[256 * 1024]; java.util.Arrays.fill(blocks[i], (byte) 1); }
                        System.out.println("ready"); System.out.flush();
                        Thread.sleep(60_000);
                        System.out.println(blocks.length);
                    }
                }
                """);
        Process hold = new ProcessBuilder(java.toString(), "-Xmx400m", "-Xms300m", "-XX:+AlwaysPreTouch", source.toString())
                .redirectErrorStream(true).start();
        try {
            String first = new String(hold.getInputStream().readNBytes(5));
            assertThat(first).as(() -> first + new String(readRest(hold))).isEqualTo("ready");
            ResourceSample s = series(hold.pid(), 1).getFirst();
            long vmRss = Long.parseLong(Files.readAllLines(Path.of("/proc", Long.toString(hold.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow().replaceAll("\\D", "")) * 1024;
            long psRss = Long.parseLong(Child.quick("ps", "-o", "rss=", "-p", Long.toString(hold.pid())).strip()) * 1024;
            assertThat(s.appMemoryBytes()).isGreaterThan(200L << 20);
            assertThat((double) s.appMemoryBytes()).isCloseTo(vmRss, org.assertj.core.data.Percentage.withPercentage(5));
            assertThat((double) s.appMemoryBytes()).isCloseTo(psRss, org.assertj.core.data.Percentage.withPercentage(5));
        } finally {
            hold.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(source);
        }
    }

    @Test
    void theStreamEndsWhenTheProcessIsGone() throws Exception {
        Process brief = new ProcessBuilder("sleep", "1").start();
        try (SampleStream stream = ProcessSampler.open(brief.pid(), Duration.ofMillis(200))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stream.failure().isEmpty() && System.nanoTime() < deadline) {
                stream.poll(Duration.ofMillis(200));
            }
            assertThat(stream.failure()).hasValueSatisfying(f -> assertThat(f.getMessage()).contains("is gone"));
        }
    }

    private static List<ResourceSample> series(long pid, int n) throws InterruptedException {
        List<ResourceSample> out = new ArrayList<>();
        try (SampleStream stream = ProcessSampler.open(pid, Duration.ofMillis(500))) {
            while (out.size() < n) {
                out.add(stream.poll(Duration.ofSeconds(5)).orElseThrow());
            }
        }
        return out;
    }

    private static byte[] readRest(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static long[] stat(long pid) throws java.io.IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }
}
