package org.gallerybench.engine.cli;

import org.gallerybench.engine.run.Metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import org.gallerybench.engine.run.EnvironmentResult;
import org.gallerybench.engine.run.RealRuns;
import org.gallerybench.engine.run.RoundFigures;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.history.RunHistory;
import org.gallerybench.engine.run.Trend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `history trend`: one figure across the runs kept, oldest first, with each run's interval, as a table and a PNG; runs of
 * another app are left out (two apps' figures on one line would be a drift of nothing). The runs are a real run of the
 * local server, kept four times with its p99 drifting up by a tenth each time, and once as another app's.
 */
class HistoryTrendTest {
    @TempDir
    Path home;

    @Test
    void aDriftIsSeenRunByRunAndAnotherAppsRunsAreLeftOut() throws Exception {
        RunResult real = RealRuns.local();
        try (RunHistory history = new RunHistory(TestCli.at(home).paths().history())) {
            for (int i = 0; i < 4; i++) {
                history.save(drifted(real, "2026120" + (i + 1) + "-120000-000" + i, 1 + 0.1 * i, real.plan().subject()));
            }
            history.save(drifted(real, "20261206-120000-0009", 5, "flask-gallery"));

            Trend trend = history.trend("local", Metric.P99, 20, null);
            assertThat(trend.app()).as("the app of the latest run of local").isEqualTo("flask-gallery");
            assertThat(trend.points()).hasSize(1);
            Trend gallery = history.trend("local", Metric.P99, 3, real.plan().subject());
            assertThat(gallery.points()).extracting(Trend.Point::runId).as("the last 3, oldest first")
                    .containsExactly("20261202-120000-0001", "20261203-120000-0002", "20261204-120000-0003");
            double base = real.environments().getFirst().summary().p99Millis();
            assertThat(gallery.points()).extracting(Trend.Point::value).containsExactly(base * 1.1, base * 1.2, base * 1.3);
            assertThat(gallery.points()).allSatisfy(p -> assertThat(p.hasInterval()).isTrue());
        }

        Path png = home.resolve("trend.png");
        TestCli.Outcome o = TestCli.at(home).run("history", "trend", "--env", "local", "--metric", "p99", "--subject", real.plan().subject(),
                "--out", png.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).startsWith("p99 of local · " + real.plan().subject() + ", the last 4 runs:")
                .contains("20261201-120000-0000").contains("20261204-120000-0003").containsPattern("\\[[0-9.]+ ms, [0-9.]+ ms\\]");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        assertThat(img.getHeight()).isEqualTo(600);

        TestCli.Outcome wrong = TestCli.at(home).run("history", "trend", "--env", "local", "--metric", "p9", "--out", png.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("no figure 'p9': choose from startup, restart, requests/s, p50, p95, p99");
        TestCli.Outcome none = TestCli.at(home).run("history", "trend", "--env", "vm", "--out", png.toString());
        assertThat(none.code()).isZero();
        assertThat(none.out()).startsWith("No completed run here measured vm");
    }

    /** The run with another id, a day apart, its p99 rounds times {@code factor}, as app {@code app}. */
    static RunResult drifted(RunResult run, String id, double factor, String app) {
        EnvironmentResult e = run.environments().getFirst();
        List<RoundFigures> rounds = new ArrayList<>();
        for (RoundFigures r : e.rounds()) {
            rounds.add(new RoundFigures(r.round(), r.seconds(), r.requestsPerSecond(), r.p50Millis(), r.p95Millis(), r.p99Millis() * factor,
                    r.requests(), r.errors(), r.timeouts(), r.missed(), r.cpuMeanPercent(), r.appMemoryMeanBytes(), r.environmentMemoryMeanBytes(),
                    r.hostCpuMeanPercent(), r.hostMemoryMeanBytes(), r.p50AtOneMillis(), r.p99AtOneMillis()));
        }
        EnvironmentResult moved = new EnvironmentResult(e.environment(), e.displayName(), e.endpoint(), e.startupTrials(), e.resources(),
                e.load(), rounds, e.summary(), e.failure(), e.networkPath(), e.capacity(), e.busySeconds());
        int day = Integer.parseInt(id.substring(6, 8));
        return new RunResult(id, run.label(), run.status(), run.startedAt().plus(Duration.ofDays(day)), run.finishedAt().plus(Duration.ofDays(day)),
                run.plan().withSubject(app), run.build(), run.machine(), run.dataset(), List.of(moved), run.comparisons(), run.best(), run.warnings());
    }
}
