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

import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command in a real GTK window on Xvfb: ./gallerybench opens the dashboard, runs the quick
 * comparison (local, the default), saves a screenshot of the window and quits. The screenshot lands in
 * dashboard/target/screenshots/dashboard.png; the README shows one made this way.
 */
class DashboardXvfbIT {
    @TempDir
    Path home;

    @Test
    void theDashboardOpensRunsTheQuickComparisonAndSavesAScreenshot() throws Exception {
        Path root = TestServer.projectRoot();
        Path shot = root.resolve("dashboard/target/screenshots/dashboard.png");
        Files.deleteIfExists(shot);
        ProcessBuilder b = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", root.resolve("gallerybench").toString())
                .directory(home.toFile()).redirectErrorStream(true);
        b.environment().put("GALLERYBENCH_HOME", home.toString());
        b.environment().put("GALLERYBENCH_JAVA_OPTS", "-Dgallerybench.ui.autorun=quick -Dgallerybench.ui.screenshot=" + shot
                + " -Dgallerybench.ui.exit=true -Dgallerybench.ui.timing=true");
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("first window shown").contains("run finished").contains("screenshot saved");
        List<String> finished = output.lines().filter(l -> l.contains("run finished")).toList();
        System.out.println(String.join("\n", output.lines().filter(l -> l.startsWith("gallerybench:")).toList()));
        assertThat(finished).hasSize(1);

        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isEqualTo(1480);
        assertThat(img.getHeight()).isEqualTo(940);
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) {
            for (int y = 0; y < img.getHeight(); y += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("a drawn window, not a blank one").isGreaterThan(50);
        // The run is in the history the dashboard keeps.
        assertThat(Files.exists(home.resolve("history.mv.db"))).isTrue();
    }
}
