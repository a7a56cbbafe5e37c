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
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.gallerybench.dashboard.bench.AppPaths;
import org.gallerybench.dashboard.bench.EnvironmentSettings;
import org.gallerybench.dashboard.bench.SettingsStore;
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

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory(home, "ui");
        AppPaths paths = new AppPaths(TestServer.projectRoot(), dir, dir.resolve("config"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        new SettingsStore(paths.settingsFile()).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(port), "custom",
                java.util.List.of("local"), 1200, 600));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new DashboardViewModel(paths, Threads.javafx());
        vm.exportDirProperty().set(dir.resolve("exports").toString());
        view = new DashboardView(vm, uri -> { });
        Scene scene = new Scene(view, 1480, 940);
        scene.getStylesheets().add(DashboardApp.class.getResource("dashboard.css").toExternalForm());
        view.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        vm.start();
    }

    @AfterEach
    void close() {
        vm.close();
        view.charts().stop();
    }

    @Test
    void oneClickRunsTheComparisonAndFillsTheChartsAndTheTable(FxRobot robot) throws Exception {
        shortProfile(robot);
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.runningProperty().get());
        WaitForAsyncUtils.waitFor(3, TimeUnit.MINUTES, () -> !vm.runningProperty().get());

        assertThat(view.charts().pointsShown()).as("points on the charts").isGreaterThan(10);
        robot.clickOn("Comparison");
        TableView<?> table = robot.lookup("#comparisonTable").queryAs(TableView.class);
        assertThat(table.getItems()).isNotEmpty();
        assertThat(table.getColumns()).extracting(c -> c.getText()).containsExactly("Metric", "Local process");
        assertThat(robot.lookup("#phaseLabel").queryAs(Label.class).getText()).contains("completed");
        robot.clickOn("History");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#historyTable").queryAs(TableView.class).getItems().isEmpty());
    }

    @Test
    void exportWritesValidPngsOfTheChosenSize(FxRobot robot) throws Exception {
        shortProfile(robot);
        robot.press(KeyCode.CONTROL).type(KeyCode.R).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.runningProperty().get());
        WaitForAsyncUtils.waitFor(3, TimeUnit.MINUTES, () -> !vm.runningProperty().get());

        robot.press(KeyCode.CONTROL).type(KeyCode.E).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#exportDialog").query().isVisible());
        setSpinner(robot, "#exportWidth", 640);
        setSpinner(robot, "#exportHeight", 420);
        robot.clickOn("#exportAll");
        Path dir = Path.of(vm.exportDirProperty().get()).resolve(vm.resultProperty().get().id());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(dir.resolve("throughput.png")));
        WaitForAsyncUtils.waitForFxEvents();
        for (String chart : new String[] {"cpu", "memory", "latency", "throughput"}) {
            BufferedImage png = ImageIO.read(dir.resolve(chart + ".png").toFile());
            assertThat(png).as(chart).isNotNull();
            assertThat(png.getWidth()).as(chart).isEqualTo(640);
            assertThat(png.getHeight()).as(chart).isEqualTo(420);
        }
        robot.clickOn("#exportClose");
    }

    @Test
    void anUnavailableDockerEngineShowsItsMessageOnTheCardAndTheLocalRunStillWorks(FxRobot robot) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TitledPane settings = robot.lookup("#settings-docker").queryAs(TitledPane.class);
        robot.interact(() -> settings.setExpanded(true));
        TextField host = robot.lookup("#docker-docker-host").queryAs(TextField.class);
        robot.clickOn(host).eraseText(host.getText().length()).write("tcp://127.0.0.1:" + closed);
        robot.clickOn("#apply-docker");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#message-docker").queryAs(Label.class).getText().startsWith("Docker engine not reachable"));
        assertThat(robot.lookup("#message-docker").queryAs(Label.class).getText()).contains("is dockerd running?");
        assertThat(robot.lookup("#status-docker").queryAs(Label.class).getText()).isEqualTo("failed");

        shortProfile(robot);
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> vm.runningProperty().get());
        WaitForAsyncUtils.waitFor(3, TimeUnit.MINUTES, () -> !vm.runningProperty().get());
        assertThat(vm.resultProperty().get().environment("local").orElseThrow().measured()).isTrue();
        assertThat(robot.lookup("#message-docker").queryAs(Label.class).getText()).startsWith("Docker engine not reachable");
    }

    private void shortProfile(FxRobot robot) {
        robot.interact(() -> {
            vm.profileProperty().set(DashboardViewModel.Profile.CUSTOM);
        });
        setSpinner(robot, "#customSeconds", 3);
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
