package org.gallerybench.engine.history;

import org.gallerybench.engine.run.Metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.gallerybench.engine.run.MetricComparison;
import org.gallerybench.engine.run.RealRuns;
import org.gallerybench.engine.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {
    @TempDir
    Path dir;

    @Test
    void keepsListsShowsComparesMarksAndDeletes() {
        RunResult run = RealRuns.local();
        RunResult second = new RunResult(run.id() + "-b", "second", run.status(), run.startedAt().plusSeconds(60), run.finishedAt().plusSeconds(60),
                run.plan(), run.build(), run.machine(), run.dataset(), run.environments(), run.comparisons(), run.best(), run.warnings());
        RunHistory history = new RunHistory(dir.resolve("history"));
        history.save(run);
        history.save(second);

        List<RunHistory.Entry> entries = history.list();
        assertThat(entries).extracting(RunHistory.Entry::id).containsExactly(second.id(), run.id());
        assertThat(entries.getLast().headline()).startsWith("local: start ");
        assertThat(history.get(run.id())).hasValueSatisfying(r -> assertThat(r.environments()).hasSize(1));

        history.markBaseline(run.id());
        history.markBaseline(second.id());
        assertThat(history.list()).filteredOn(RunHistory.Entry::baseline).extracting(RunHistory.Entry::id).containsExactly(second.id());

        assertThat(history.differences(run.id(), second.id())).as("the same plan, build and machine").isEmpty();
        RunResult otherMachine = new RunResult(run.id() + "-c", "elsewhere", run.status(), run.startedAt().plusSeconds(120),
                run.finishedAt().plusSeconds(120), run.plan().withRounds(run.plan().rounds() + 2), "0123456789abcdef",
                new RunResult.Machine("elsewhere", 64, 1L << 40, "Linux 6.1", "Temurin 25", "EPYC", "6.1", "none", true, "usable", "QEMU 7.2",
                        "9.0.0", "Vagrant 2.3.4", "20.10.24", "overlay2", "v1 (cgroupfs)", "on"), run.dataset(), run.environments(), run.comparisons(), run.best(),
                run.warnings());
        history.save(otherMachine);
        assertThat(history.differences(run.id(), otherMachine.id()))
                .anySatisfy(d -> assertThat(d).startsWith("the plans differ"))
                .anySatisfy(d -> assertThat(d).startsWith("the server builds differ"))
                .anySatisfy(d -> assertThat(d).startsWith("the machines differ").contains("elsewhere, 64 cores"));
        history.delete(otherMachine.id());

        List<MetricComparison> compared = history.compare(run.id(), second.id());
        assertThat(compared).extracting(MetricComparison::metric).contains(Metric.STARTUP, Metric.REQUESTS_PER_SECOND, Metric.P99);
        assertThat(compared).allSatisfy(m -> assertThat(m.ratio()).isEqualTo(1.0)); // the same measurements

        assertThat(history.delete(run.id())).isTrue();
        assertThat(history.delete(run.id())).isFalse();
        assertThat(history.list()).extracting(RunHistory.Entry::id).containsExactly(second.id());
    }

    @Test
    void survivesReopeningAndSaysClearlyWhatIsMissing() {
        RunResult run = RealRuns.local();
        new RunHistory(dir.resolve("history")).save(run);
        RunHistory reopened = new RunHistory(dir.resolve("history"));
        assertThat(reopened.get(run.id())).isPresent();
        assertThatThrownBy(() -> reopened.require("no-such-run"))
                .hasMessage("There is no run 'no-such-run' in the history. List them with: gallerybench history list");
        assertThatThrownBy(() -> reopened.markBaseline("no-such-run")).hasMessageContaining("There is no run");
        assertThat(reopened.list()).hasSize(1);
    }
}
