package org.gallerybench.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real dashboard in a real JavaFX window (TestFX on Monocle, headless, on a 1600x1200 virtual screen so that
 * the 1480x940 window fits and clicks land), driven as a user drives it: clicks, typing, shortcuts.
 */
@ExtendWith(ApplicationExtension.class)
class DashboardWindowTest {
    @TempDir
    static Path home;
    DashboardViewModel vm;
    DashboardView view;
    AppPaths paths;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory(home, "ui");
        paths = new AppPaths(TestServer.projectRoot(), dir, dir.resolve("config"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // A container of the test's own (its name comes from the folder) on a port of its own.
        new SettingsStore(paths.settingsFile()).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(port).withDockerPort(5094),
                "custom", java.util.List.of("local"), 1200, 600));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new DashboardViewModel(paths, Threads.javafx());
        vm.export().dirProperty().set(dir.resolve("exports").toString());
        view = new DashboardView(vm, uri -> { });
        Scene scene = new Scene(view, 1480, 940);
        scene.getStylesheets().add(DashboardApp.class.getResource("dashboard.css").toExternalForm());
        view.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        vm.start();
    }

    @AfterEach
    void close() throws Exception {
        String container = null;
        try {
            var env = vm.card("docker").environment();
            if (env instanceof org.gallerybench.environments.docker.DockerEnvironment d) {
                container = d.settings().containerName();
            }
        } catch (RuntimeException ignored) {
            // no engine: nothing was made
        }
        vm.close();
        view.charts().stop();
        if (container != null) {
            org.gallerybench.environments.Child.quick("docker", "rm", "-f", container);
            org.gallerybench.environments.Child.quick("docker", "volume", "rm", "-f", container + "-uploads");
        }
    }

    /**
     * The toolbar's App picker, clicked as a user clicks it: choosing the Flask gallery retitles every chart and the
     * window, and the local card then speaks of that app.
     */
    @Test
    void theAppPickerChoosesTheAppUnderTestAndEveryChartSaysWhichItIs(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(2, TimeUnit.MINUTES, () -> vm.cards().stream().allMatch(c -> c.lightProperty().get() != EnvironmentCardViewModel.Light.UNKNOWN
                && c.lightProperty().get() != EnvironmentCardViewModel.Light.BUSY));
        assertThat(view.charts().title(org.gallerybench.engine.report.Charts.Kind.THROUGHPUT)).isEqualTo("Throughput · gallery");
        robot.clickOn("#subjectChoice");
        robot.clickOn(robot.lookup(".list-cell").match((javafx.scene.control.ListCell<?> c) -> c.getText() != null
                && c.getText().startsWith("flask-gallery · ")).queryAs(javafx.scene.control.ListCell.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.subjectProperty().get().name().equals("flask-gallery"));
        for (var kind : org.gallerybench.engine.report.Charts.Kind.values()) {
            assertThat(view.charts().title(kind)).endsWith(" · flask-gallery");
        }
        assertThat(vm.titleProperty().get()).isEqualTo("Gallery Bench · flask-gallery · container vs VM");
        WaitForAsyncUtils.waitFor(1, TimeUnit.MINUTES, () -> vm.card("local").messageProperty().get().startsWith("flask-gallery"));
    }

    /**
     * As a newcomer would: tick the container beside the local process, run a short comparison (the quick profile runs
     * in a real window in GallerybenchScriptE2EIT), and find every card and tab in a consistent state. Then the Docker
     * engine goes away (the card's settings point at a dead one) and a second run shows the failure on that card
     * alone, with one banner.
     */
    @Test
    void aQuickComparisonOfLocalAndDockerThenASecondRunWithAFailingEnvironment(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(2, TimeUnit.MINUTES, () -> vm.cards().stream().allMatch(c -> c.lightProperty().get() != EnvironmentCardViewModel.Light.UNKNOWN
                && c.lightProperty().get() != EnvironmentCardViewModel.Light.BUSY));
        CheckBox docker = robot.lookup("#include-docker").queryAs(CheckBox.class);
        if (!docker.isSelected()) {
            robot.clickOn(docker);
        }
        assertThat(robot.lookup("#include-local").queryAs(CheckBox.class).isSelected()).isTrue();
        shortProfile(robot, 6);
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.run().runningProperty().get());
        WaitForAsyncUtils.waitFor(10, TimeUnit.MINUTES, () -> !vm.run().runningProperty().get());

        RunResult first = vm.run().resultProperty().get();
        assertThat(first.environments()).extracting(e -> e.environment() + ":" + e.failure()).containsExactly("local:null", "docker:null");
        assertCardsConsistent();
        // The run left both as it found them, stopped; what it made stays, and the cards say so: nothing to deploy.
        for (String id : java.util.List.of("local", "docker")) {
            assertThat(vm.card(id).statusTextProperty().get()).as(id).isEqualTo("ready to start");
            assertThat(robot.lookup("#deploy-" + id).queryAs(javafx.scene.control.Button.class).isDisabled()).as(id + " Deploy").isTrue();
            assertThat(robot.lookup("#start-" + id).queryAs(javafx.scene.control.Button.class).isDisabled()).as(id + " Start").isFalse();
        }
        assertThat(vm.card("docker").messageProperty().get()).contains("of this build present, stopped");
        assertThat(view.charts().pointsShown()).as("points on the charts").isGreaterThan(50);
        assertThat(view.charts().legend(org.gallerybench.engine.report.Charts.Kind.THROUGHPUT))
                .containsExactly("Local process", "Docker container");
        assertThat(robot.lookup("#banners").queryAs(javafx.scene.layout.VBox.class).getChildren()).hasSize(1);
        assertThat(vm.notifications().banners()).extracting(Banner::title).containsExactly("Comparison finished");
        robot.clickOn("Comparison");
        TableView<?> table = robot.lookup("#comparisonTable").queryAs(TableView.class);
        assertThat(table.getItems()).isNotEmpty();
        assertThat(table.getColumns()).extracting(c -> c.getText()).containsExactly("Metric", "Local process", "Docker container");
        // The overhead table: the container's costs against the local process, a row each, the baseline first.
        TableView<?> overhead = robot.lookup("#overheadTable").queryAs(TableView.class);
        assertThat(overhead.isVisible()).isTrue();
        assertThat(vm.run().overheadRows()).extracting(r -> r.name()).containsExactly("Local process", "Docker container");
        assertThat(vm.run().overheadRows().get(1).cells()).hasSize(7).allSatisfy(c -> assertThat(c.ratio()).contains("×"));
        assertThat(table.getItems().getFirst()).extracting(r -> ((org.gallerybench.engine.report.ComparisonTable.Row) r).metric())
                .isEqualTo("Network path");
        assertThat(robot.lookup("#phaseLabel").queryAs(Label.class).getText()).contains("completed");
        robot.clickOn("History");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#historyTable").queryAs(TableView.class).getItems().size() == 1);
        robot.clickOn("Live charts");

        // The engine goes away: a second run, and the failure is on the Docker card alone.
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TitledPane settings = robot.lookup("#settings-docker").queryAs(TitledPane.class);
        robot.interact(() -> settings.setExpanded(true));
        TextField host = robot.lookup("#docker-docker-host").queryAs(TextField.class);
        robot.clickOn(host).eraseText(host.getText().length()).write("tcp://127.0.0.1:" + closed);
        robot.clickOn("#apply-docker");
        robot.interact(() -> settings.setExpanded(false));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#message-docker").queryAs(Label.class).getText().startsWith("Docker engine not reachable"));
        shortProfile(robot, 3);
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.run().runningProperty().get());
        WaitForAsyncUtils.waitFor(3, TimeUnit.MINUTES, () -> !vm.run().runningProperty().get());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#message-docker").queryAs(Label.class).getText().startsWith("Not measured in the last run"));

        assertCardsConsistent();
        assertThat(robot.lookup("#status-docker").queryAs(Label.class).getText()).isEqualTo("failed");
        assertThat(robot.lookup("#message-docker").queryAs(Label.class).getText()).contains("Docker engine not reachable at tcp://127.0.0.1:" + closed);
        assertThat(robot.lookup("#status-local").queryAs(Label.class).getText()).isNotEqualTo("failed");
        assertThat(robot.lookup("#message-local").queryAs(Label.class).getText()).doesNotContain("Not measured");
        assertThat(vm.notifications().banners()).as("one event, one banner").singleElement()
                .satisfies(b -> assertThat(b.title()).isEqualTo("Comparison finished; Docker container was not fully measured"));
        assertThat(vm.run().resultProperty().get().environment("local").orElseThrow().measured()).isTrue();
        assertThat(view.charts().legend(org.gallerybench.engine.report.Charts.Kind.THROUGHPUT))
                .containsExactly("Local process", "Docker container · no data");
    }

    /**
     * The Capacity profile, as a user runs it: one click searches the local process in open-loop steps; the Capacity
     * tab opens by itself and draws latency against throughput step by step; the comparison table then gives the
     * capacity at p99 < 50 ms, and the history keeps the run.
     */
    @Test
    void theCapacityProfileSearchesAndDrawsItsCurveLive(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(2, TimeUnit.MINUTES, () -> vm.cards().stream().allMatch(c -> c.lightProperty().get() != EnvironmentCardViewModel.Light.UNKNOWN
                && c.lightProperty().get() != EnvironmentCardViewModel.Light.BUSY));
        for (String id : java.util.List.of("docker", "gvisor", "vm")) {
            CheckBox box = robot.lookup("#include-" + id).queryAs(CheckBox.class);
            if (box.isSelected()) {
                robot.clickOn(box);
            }
        }
        robot.interact(() -> vm.run().profileProperty().set(RunViewModel.Profile.CAPACITY));
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.run().runningProperty().get());
        TabPane tabs = robot.lookup("#tabs").queryAs(TabPane.class);
        assertThat(tabs.getSelectionModel().getSelectedItem().getText()).isEqualTo("Capacity");
        // Drawn live: points appear while the search still runs.
        WaitForAsyncUtils.waitFor(5, TimeUnit.MINUTES, () -> {
            var chart = vm.run().capacityChartProperty().get();
            return chart != null && chart.getXYPlot().getDataset().getItemCount(0) >= 3;
        });
        assertThat(vm.run().runningProperty().get()).as("the curve is drawn before the search ends").isTrue();
        WaitForAsyncUtils.waitFor(10, TimeUnit.MINUTES, () -> !vm.run().runningProperty().get());

        RunResult run = vm.run().resultProperty().get();
        assertThat(run.plan().isCapacitySearch()).isTrue();
        var local = run.environment("local").orElseThrow();
        assertThat(local.failure()).isNull();
        assertThat(local.capacity().found()).as(local.capacity().note()).isTrue();
        var chart = vm.run().capacityChartProperty().get();
        assertThat(chart.getXYPlot().getDataset().getSeriesKey(0)).isEqualTo("Local process p99");
        assertThat(chart.getXYPlot().getDataset().getItemCount(0)).isEqualTo((int) local.capacity().steps().stream()
                .filter(s -> s.achievedRate() > 0).map(s -> s.achievedRate()).distinct().count());
        assertThat(chart.getXYPlot().getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND)).as("the capacity, marked").hasSize(1);
        assertThat(vm.run().tableRows()).extracting(r -> r.metric()).contains("Capacity at p99 < 50 ms");
        assertThat(vm.run().overheadRows()).as("no overhead table for a search").isEmpty();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.notifications().banners()).extracting(Banner::title).hasSize(1)
                .allSatisfy(title -> assertThat(title).startsWith("Comparison finished"));
    }

    /**
     * A run kept in the history (a real one, shared with the report tests), opened from the History tab and exported
     * with the shortcut: four PNGs of the chosen size. Ctrl-R starting a run is the first test's.
     */
    @Test
    void aRunOpenedFromTheHistoryExportsValidPngsOfTheChosenSize(FxRobot robot) throws Exception {
        RunResult kept = org.gallerybench.engine.run.RealRuns.local();
        try (var history = new org.gallerybench.engine.history.RunHistory(paths.history())) {
            history.save(kept); // beside the open dashboard, as the CLI would
        }
        robot.interact(() -> vm.history().refresh());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !vm.history().runs().isEmpty());
        robot.clickOn("History");
        TableView<?> runs = robot.lookup("#historyTable").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !runs.getItems().isEmpty());
        robot.interact(() -> runs.getSelectionModel().select(0));
        robot.clickOn("#openRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.run().resultProperty().get() != null
                && vm.run().resultProperty().get().id().equals(kept.id()));

        robot.press(KeyCode.CONTROL).type(KeyCode.E).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#exportDialog").query().isVisible());
        setSpinner(robot, "#exportWidth", 640);
        setSpinner(robot, "#exportHeight", 420);
        robot.clickOn("#exportAll");
        Path dir = Path.of(vm.export().dirProperty().get()).resolve(vm.run().resultProperty().get().id());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(dir.resolve("throughput.png")));
        WaitForAsyncUtils.waitForFxEvents();
        for (String chart : new String[] {"cpu", "memory", "latency", "throughput"}) {
            BufferedImage png = ImageIO.read(dir.resolve(chart + ".png").toFile());
            assertThat(png).as(chart).isNotNull();
            assertThat(png.getWidth()).as(chart).isEqualTo(640);
            assertThat(png.getHeight()).as(chart).isEqualTo(420);
        }
        robot.clickOn("#exportClose");

        // The History tab's Trends: the kept run's p99 of local, drawn with its interval.
        robot.clickOn("History");
        robot.clickOn("#showTrend");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#trendChart").query().isVisible());
        assertThat(robot.lookup("#trendNote").queryAs(Label.class).getText()).startsWith("p99 of local · gallery, the last 1 run:");
    }

    /** Every card's labels show its one state, and no card is left "checking" or busy. */
    private void assertCardsConsistent() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.cards().stream().noneMatch(c -> c.busyProperty().get()
                || c.lightProperty().get() == EnvironmentCardViewModel.Light.BUSY || c.lightProperty().get() == EnvironmentCardViewModel.Light.UNKNOWN));
        WaitForAsyncUtils.waitForFxEvents();
        for (EnvironmentCardViewModel card : vm.cards()) {
            CardState state = card.stateProperty().get();
            Label status = (Label) view.lookup("#status-" + card.id());
            Label message = (Label) view.lookup("#message-" + card.id());
            javafx.scene.shape.Circle light = (javafx.scene.shape.Circle) view.lookup("#light-" + card.id());
            assertThat(status.getText()).as(card.id()).isEqualTo(state.status());
            assertThat(message.getText()).as(card.id()).isEqualTo(state.message());
            assertThat(light.getStyleClass()).as(card.id()).contains("light-" + state.light().name().toLowerCase(java.util.Locale.ROOT));
            // Its buttons are the state's actions: no Deploy of a build that is there, no Stop of what does not run.
            for (var action : org.gallerybench.environments.EnvironmentStatus.Action.values()) {
                String id = switch (action) {
                    case BOOT -> "#boot-";
                    case HALT -> "#halt-";
                    default -> "#" + action.name().toLowerCase(java.util.Locale.ROOT) + "-";
                };
                javafx.scene.control.Button button = (javafx.scene.control.Button) view.lookup(id + card.id());
                if (button != null) {
                    assertThat(button.isDisabled()).as(card.id() + " " + action + " in state " + state.status()).isEqualTo(!state.offers(action));
                }
            }
            if (state.light() == EnvironmentCardViewModel.Light.READY) {
                assertThat(state.status()).isEqualTo("ready");
                assertThat(state.message()).as(card.id()).doesNotContain("Not deployed").doesNotContain("failed");
            }
        }
    }

    private void shortProfile(FxRobot robot, int seconds) {
        robot.interact(() -> {
            vm.run().profileProperty().set(RunViewModel.Profile.CUSTOM);
        });
        setSpinner(robot, "#customSeconds", seconds);
        setSpinner(robot, "#customWarmup", 1);
        setSpinner(robot, "#customTrials", 1);
        setSpinner(robot, "#customConcurrency", 4);
    }

    @SuppressWarnings("unchecked")
    private static void setSpinner(FxRobot robot, String id, int value) {
        Spinner<Integer> spinner = robot.lookup(id).queryAs(Spinner.class);
        robot.clickOn(spinner.getEditor()).press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write(Integer.toString(value))
                .type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spinner.getValue()).as(id).isEqualTo(value);
    }
}
