package org.gallerybench.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;

import org.gallerybench.engine.run.RealRuns;
import org.gallerybench.engine.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every report, made headless from a real run. */
class ReportsTest {
    @TempDir
    Path out;

    @Test
    void writesEveryFormat() throws Exception {
        RunResult run = RealRuns.local();
        List<Path> files = Reports.write(run, out, EnumSet.allOf(Reports.Format.class), 900, 450);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("run.json", "series.csv", "report.html", "report.md", "cpu.png", "memory.png", "latency.png",
                        "throughput.png");
        try (var leftovers = Files.list(out)) {
            assertThat(leftovers.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    /**
     * A figure whose rounds hold an outlier: its cell carries the ⚠ and the reason, every figure with rounds its CV, and
     * the Markdown and HTML reports list the reason in plain words with the figure and the round.
     */
    @Test
    void aNoisyFigureIsMarkedAndSaidInEveryReport() throws Exception {
        RunResult real = RealRuns.local();
        org.gallerybench.engine.run.EnvironmentResult e = real.environments().getFirst();
        double[] p99 = {40.1, 39.8, 40.4, 40.0, 160.0};
        List<org.gallerybench.engine.run.RoundFigures> rounds = new java.util.ArrayList<>();
        for (int i = 0; i < p99.length; i++) {
            var r = e.rounds().get(i % e.rounds().size());
            rounds.add(new org.gallerybench.engine.run.RoundFigures(i + 1, r.seconds(), 1000 + i, r.p50Millis(), r.p95Millis(), p99[i],
                    r.requests(), r.errors(), r.timeouts(), r.missed(), r.cpuMeanPercent(), r.appMemoryMeanBytes(), r.environmentMemoryMeanBytes(),
                    r.hostCpuMeanPercent(), r.hostMemoryMeanBytes(), r.p50AtOneMillis(), r.p99AtOneMillis()));
        }
        var noisy = new org.gallerybench.engine.run.EnvironmentResult(e.environment(), e.displayName(), e.endpoint(), e.startupTrials(),
                e.resources(), e.load(), rounds, e.summary(), e.failure(), e.networkPath(), e.capacity(), e.busySeconds());
        RunResult run = new RunResult(real.id(), real.label(), real.status(), real.startedAt(), real.finishedAt(), real.plan(), real.build(),
                real.machine(), real.dataset(), List.of(noisy), real.comparisons(), real.best(), real.warnings());

        ComparisonTable.Cell latency = ComparisonTable.rows(run).stream().filter(r -> r.metric().equals("Latency p99")).findFirst().orElseThrow()
                .cells().getFirst();
        assertThat(latency.noisy()).isTrue();
        assertThat(latency.noise()).startsWith("p99: round 5 of 5 (160 ms) is an outlier against the median 40.10 ms");
        ComparisonTable.Cell throughput = ComparisonTable.rows(run).stream().filter(r -> r.metric().equals("Requests/s")).findFirst().orElseThrow()
                .cells().getFirst();
        assertThat(throughput.noisy()).isFalse();
        assertThat(throughput.cv()).isEqualTo("CV 0.2 %");
        assertThat(MarkdownReport.render(run)).contains("**Noise** (the figures marked ⚠)")
                .contains("- Local process: p99: round 5 of 5 (160 ms) is an outlier").contains(" ⚠ |");
        assertThat(HtmlReport.render(run)).contains("<span class=\"noisy\" title=\"p99: round 5 of 5 (160 ms) is an outlier")
                .contains("<div class=\"warn\" id=\"noise\">");
    }

    @Test
    void jsonHoldsEverythingAndReadsBack() throws Exception {
        RunResult run = RealRuns.local();
        String json = JsonReport.render(run);
        RunResult back = JsonReport.read(json);
        assertThat(back.id()).isEqualTo(run.id());
        assertThat(back.environments().getFirst().load().ticks()).isEqualTo(run.environments().getFirst().load().ticks());
        assertThat(back.environments().getFirst().summary()).isEqualTo(run.environments().getFirst().summary());
        // The histogram itself survives: the same percentiles come back out of it.
        var original = run.environments().getFirst().load().latency();
        assertThat(back.environments().getFirst().load().latency().decode().getValueAtPercentile(99))
                .isEqualTo(original.decode().getValueAtPercentile(99));
        assertThatThrownBy(() -> JsonReport.read("{\"nonsense\": [")).hasMessageStartingWith("not a Gallery Bench run");
    }

    /** The machine's fingerprint is in run.json and every report; a VM without KVM carries the emulation warning in each. */
    @Test
    void theFingerprintAndTheEmulationWarningAppearInEveryFormat() throws Exception {
        RunResult local = RealRuns.local();
        RunResult.Machine here = local.machine();
        assertThat(here.cpuModel()).isNotBlank().isNotEqualTo("unknown");
        assertThat(here.kernel()).isEqualTo(System.getProperty("os.version"));
        assertThat(here.kvm()).isNotBlank();
        assertThat(here.docker()).isNotBlank();
        String json = JsonReport.render(local);
        assertThat(json).contains("\"cpuModel\"").contains("\"kvmUsable\"").contains("\"userlandProxy\"").contains("\"qemu\"");
        assertThat(JsonReport.read(json).machine()).isEqualTo(here);

        // The same run, as if its environment were an emulated VM.
        var env = local.environments().getFirst();
        var asVm = new org.gallerybench.engine.run.EnvironmentResult("vm", "Vagrant VM", env.endpoint(), env.startupTrials(),
                env.resources(), env.load(), env.rounds(), env.summary(), null, "QEMU user-mode forward");
        RunResult.Machine tcg = new RunResult.Machine(here.host(), here.cores(), here.memoryBytes(), here.os(), here.javaVersion(),
                here.cpuModel(), here.kernel(), here.virtualization(), false, "not usable: no /dev/kvm", here.qemu(), here.libvirt(),
                here.vagrant(), here.docker(), here.dockerStorageDriver(), here.cgroup(), here.userlandProxy());
        RunResult emulated = new RunResult(local.id(), "emulated", local.status(), local.startedAt(), local.finishedAt(),
                local.plan().withEnvironments(List.of("vm")), local.build(), tcg, local.dataset(), List.of(asVm), List.of(), java.util.Map.of(), List.of());
        String warning = org.gallerybench.engine.run.Fingerprint.EMULATION_WARNING;
        assertThat(MarkdownReport.render(emulated)).contains("Vagrant VM (" + warning + ")").contains("KVM: not usable: no /dev/kvm");
        assertThat(HtmlReport.render(emulated)).contains("Vagrant VM (" + warning + ")").contains("Host virtualization");
        assertThat(JsonReport.render(emulated)).contains("\"kvmUsable\" : false");
        // Its charts say it too: in the legend and in a line under the title.
        org.jfree.chart.JFreeChart chart = Charts.chart(Charts.Kind.THROUGHPUT, emulated);
        assertThat(chart.getXYPlot().getDataset().getSeriesKey(0).toString()).isEqualTo("Vagrant VM (emulated, no KVM)");
        assertThat(chart.getSubtitles()).anySatisfy(t -> assertThat(t).isInstanceOfSatisfying(org.jfree.chart.title.TextTitle.class,
                title -> assertThat(title.getText()).isEqualTo("Vagrant VM: " + warning)));
        assertThat(Charts.chart(Charts.Kind.THROUGHPUT, local).getSubtitles())
                .noneSatisfy(t -> assertThat(t).isInstanceOf(org.jfree.chart.title.TextTitle.class));
        assertThat(ComparisonTable.headers(local)).containsExactly("Local process");
    }

    @Test
    void csvHasOneRowPerSampleAndPerSecond() {
        RunResult run = RealRuns.local();
        List<String> lines = CsvReport.render(run).lines().toList();
        assertThat(lines.getFirst()).startsWith("environment,series,seconds,cpu_percent,app_memory_bytes");
        var env = run.environments().getFirst();
        assertThat(lines).filteredOn(l -> l.startsWith("local,resources,")).hasSize(env.resources().size());
        assertThat(lines).filteredOn(l -> l.startsWith("local,load,")).hasSize(env.load().ticks().size());
        assertThat(lines).allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(15));
    }

    @Test
    void htmlIsSelfContained() {
        String html = HtmlReport.render(RealRuns.local());
        assertThat(html).contains("<table>").contains("Startup (median)").contains("data:image/png;base64,")
                .contains("How to read the memory columns");
        assertThat(html).doesNotContain("<link").doesNotContain("<script").doesNotContainPattern("src=\"https?:");
    }

    @Test
    void markdownIsAComparisonTable() {
        String md = MarkdownReport.render(RealRuns.local());
        assertThat(md).contains("| Metric | Local process |").contains("|---|---:|").contains("| Requests/s")
                .contains("| Latency p99");
    }

    @Test
    void pngChartsHaveTheSizeAsked() throws Exception {
        List<Path> pngs = Charts.writePngs(RealRuns.local(), out, 640, 360);
        assertThat(pngs).hasSize(4);
        for (Path p : pngs) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertThat(img.getWidth()).isEqualTo(640);
            assertThat(img.getHeight()).isEqualTo(360);
        }
        assertThatThrownBy(() -> Reports.write(RealRuns.local(), out, EnumSet.of(Reports.Format.PNG), 10, 10))
                .hasMessageContaining("between 200x150 and 8000x8000");
    }
}
