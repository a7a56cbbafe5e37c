package org.gallerybench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import org.gallerybench.dashboard.bench.EnvironmentResult;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.RunResult;
import org.gallerybench.dashboard.bench.SettingsStore;
import org.gallerybench.dashboard.history.RunHistory;
import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.TestVm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command in a real GTK window on Xvfb, as a newcomer meets it: ./gallerybench opens the
 * dashboard with every environment that can run here ticked (the local process, the container and the VM, which
 * the test command sets up), runs the quick comparison, and saves the window and the comparison tab; the run's
 * HTML report is then drawn by headless Chromium. These are the README's pictures: they land in
 * dashboard/target/screenshots/, and a person looks at them before copying them to docs/.
 */
class DashboardXvfbIT {
    @TempDir
    Path home;

    @Test
    void theDashboardOpensRunsTheQuickComparisonOfEveryEnvironmentAndSavesThePictures() throws Exception {
        Path root = TestServer.projectRoot();
        Path shots = root.resolve("dashboard/target/screenshots");
        Files.createDirectories(shots);
        Path window = shots.resolve("dashboard.png");
        Path comparison = shots.resolve("comparison.png");
        Path report = shots.resolve("report.png");
        for (Path p : List.of(window, comparison, report)) {
            Files.deleteIfExists(p);
        }
        // Names and ports of the test's own (the user's gallery and VM are never touched); no choice made yet, so
        // the dashboard ticks what can run here.
        SettingsStore.Saved defaults = SettingsStore.Saved.defaults();
        new SettingsStore(home.resolve("config/settings.json")).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(5092)
                .withDockerPort(5090).withVm("", "", 22, "", "", TestVm.PORT), defaults.profile(), null, defaults.exportWidth(), defaults.exportHeight()));

        String output = run(List.of("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", root.resolve("gallerybench").toString()),
                "-Dgallerybench.ui.autorun=quick -Dgallerybench.ui.screenshot=" + window + " -Dgallerybench.ui.screenshot.comparison=" + comparison
                        + " -Dgallerybench.ui.exit=true -Dgallerybench.ui.timing=true", 30);
        assertThat(output).contains("first window shown").contains("run finished").contains("screenshot saved");
        System.out.println(String.join("\n", output.lines().filter(l -> l.startsWith("gallerybench:")).toList()));
        assertThat(output.lines().filter(l -> l.contains("run finished")).toList()).hasSize(1);
        for (Path shot : List.of(window, comparison)) {
            BufferedImage img = ImageIO.read(shot.toFile());
            assertThat(img.getWidth()).isEqualTo(1480);
            assertThat(img.getHeight()).isEqualTo(940);
            assertThat(colours(img)).as("a drawn window, not a blank one: " + shot).isGreaterThan(50);
        }

        // The run, as the dashboard kept it: every environment of this machine, each measured.
        RunResult run;
        try (RunHistory history = new RunHistory(home.resolve("history"))) {
            run = history.require(history.list().getFirst().id());
        }
        assertThat(run.environments()).extracting(EnvironmentResult::environment).containsExactly("local", "docker", "vm");
        for (EnvironmentResult e : run.environments()) {
            assertThat(e.failure()).as(e.environment()).isNull();
            assertThat(e.measured()).as(e.environment()).isTrue();
        }

        // Its HTML report, through headless Chromium.
        Path out = home.resolve("report");
        run(List.of(root.resolve("gallerybench").toString(), "report", run.id(), "--format", "html", "--out", out.toString()), "", 5);
        assertThat(out.resolve("report.html")).exists();
        run(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2400",
                "--screenshot=" + report, out.resolve("report.html").toUri().toString()), "", 3);
        BufferedImage img = ImageIO.read(report.toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        assertThat(colours(img)).as("a drawn report").isGreaterThan(50);
    }

    @AfterEach
    void removeTheTestsContainer() throws Exception {
        String name = new org.gallerybench.dashboard.bench.AppPaths(TestServer.projectRoot(), home, home.resolve("config")).dockerContainerName();
        for (List<String> command : List.of(List.of("docker", "rm", "-f", name), List.of("docker", "volume", "rm", "-f", name + "-uploads"))) {
            Process rm = new ProcessBuilder(command).redirectErrorStream(true).start();
            rm.getInputStream().readAllBytes();
            rm.waitFor(2, TimeUnit.MINUTES);
        }
    }

    private String run(List<String> command, String javaOpts, int minutes) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        b.environment().put("GALLERYBENCH_HOME", home.toString());
        b.environment().put("GALLERYBENCH_VM_NAME", TestVm.MACHINE);
        if (!javaOpts.isEmpty()) {
            b.environment().put("GALLERYBENCH_JAVA_OPTS", javaOpts);
        }
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(minutes, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) {
            for (int y = 0; y < img.getHeight(); y += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
