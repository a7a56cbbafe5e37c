package org.gallerybench.dashboard.ui;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import atlantafx.base.theme.PrimerLight;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

import org.gallerybench.engine.setup.AppPaths;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.TabPane;

/**
 * The JavaFX dashboard. {@link #open()} starts it from the launcher (which does not extend Application, so the
 * JavaFX jars may sit on the plain class path).
 *
 * <p>For tests and the README's screenshot, system properties drive it headlessly:
 * {@code gallerybench.ui.autorun=quick} runs that profile on the ticked environments once the window is up (for
 * {@code custom}, {@code gallerybench.ui.custom-seconds}, {@code -trials}, {@code -warmup}, {@code -concurrency} and
 * {@code -mix} set its fields),
 * {@code gallerybench.ui.screenshot=FILE} then saves the window as PNG, and {@code gallerybench.ui.exit=true} quits.
 * {@code gallerybench.ui.timing=true} prints when the first window appeared, and what each card says once checked.
 */
public final class DashboardApp extends Application {
    private static volatile boolean standalone;
    private DashboardViewModel vm;
    private DashboardView view;

    public static void open() {
        standalone = true;
        Application.launch(DashboardApp.class);
    }

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        vm = new DashboardViewModel(AppPaths.detect(), Threads.javafx());
        view = new DashboardView(vm, uri -> getHostServices().showDocument(uri.toString()));
        Scene scene = new Scene(view, 1480, 940);
        scene.getStylesheets().add(DashboardApp.class.getResource("dashboard.css").toExternalForm());
        view.installShortcuts(scene);
        stage.titleProperty().bind(vm.titleProperty()); // "Gallery Bench · flask-gallery · container vs VM"
        stage.setScene(scene);
        stage.setOnShown(e -> {
            if (Boolean.getBoolean("gallerybench.ui.timing")) {
                Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
                System.out.printf(Locale.ROOT, "gallerybench: first window shown %d ms after the JVM started%n",
                        Duration.between(started, Instant.now()).toMillis());
                System.out.flush();
            }
            // Autorun waits for every card's check: those that can run here are then ticked.
            CompletableFuture<Void> checked = vm.start();
            if (Boolean.getBoolean("gallerybench.ui.timing")) {
                checked.whenComplete((done, error) -> Platform.runLater(this::printCards));
            }
            autorun(stage, checked);
        });
        stage.setOnCloseRequest(e -> vm.close());
        stage.show();
    }

    /** What each card says once checked, one line each, in the words of `env status` (for the end-to-end test and scripts). */
    private void printCards() {
        for (EnvironmentCardViewModel card : vm.cards()) {
            CardState state = card.stateProperty().get();
            System.out.printf(Locale.ROOT, "gallerybench: card %s: %s · %s · offers %s%n", card.id(), state.status(), state.message(),
                    state.actions().stream().sorted().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
        }
        System.out.flush();
    }

    private void autorun(Stage stage, CompletableFuture<Void> checked) {
        String profile = System.getProperty("gallerybench.ui.autorun");
        String shot = System.getProperty("gallerybench.ui.screenshot");
        boolean exit = Boolean.getBoolean("gallerybench.ui.exit");
        if (profile == null) {
            if (shot != null) {
                after(Duration.ofSeconds(3), () -> snapshot(stage, shot, exit));
            } else if (exit) {
                // Once every card has been checked (and, with timing, printed what it says).
                checked.whenComplete((done, error) -> Platform.runLater(() -> after(Duration.ofMillis(500), () -> {
                    vm.close();
                    Platform.exit();
                })));
            }
            return;
        }
        vm.run().profileProperty().set(RunViewModel.Profile.valueOf(profile.toUpperCase(Locale.ROOT)));
        vm.run().customSecondsProperty().set(Integer.getInteger("gallerybench.ui.custom-seconds", vm.run().customSecondsProperty().get()));
        vm.run().customTrialsProperty().set(Integer.getInteger("gallerybench.ui.custom-trials", vm.run().customTrialsProperty().get()));
        vm.run().customWarmupProperty().set(Integer.getInteger("gallerybench.ui.custom-warmup", vm.run().customWarmupProperty().get()));
        vm.run().customConcurrencyProperty().set(Integer.getInteger("gallerybench.ui.custom-concurrency",
                vm.run().customConcurrencyProperty().get()));
        vm.run().customMixProperty().set(System.getProperty("gallerybench.ui.custom-mix", vm.run().customMixProperty().get()));
        checked.whenComplete((done, error) -> Platform.runLater(() -> {
            view.charts().frames().reset();
            vm.run().runComparison();
            vm.run().runningProperty().addListener((o, was, now) -> {
                if (was && !now) {
                    System.gc();
                    System.out.printf(Locale.ROOT, "gallerybench: run finished; frames %d, frame interval p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                                    + " %d points on the charts; heap used %d MiB after a GC%n", view.charts().frames().frames(),
                            view.charts().frames().intervalMillis(50), view.charts().frames().intervalMillis(99),
                            view.charts().frames().intervalMillis(100), view.charts().pointsShown(),
                            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
                    System.out.flush();
                    after(Duration.ofSeconds(2), () -> {
                        if (shot != null) {
                            snapshot(stage, shot, exit);
                        } else if (exit) {
                            Platform.exit();
                        }
                    });
                }
            });
        }));
    }

    /**
     * Saves the window as PNG; with -Dgallerybench.ui.screenshot.comparison=FILE, then the comparison tab too (the
     * README's pictures are made this way).
     */
    private void snapshot(Stage stage, String file, boolean exit) {
        save(stage, file);
        String comparison = System.getProperty("gallerybench.ui.screenshot.comparison");
        if (comparison != null) {
            TabPane tabs = (TabPane) stage.getScene().lookup("#tabs");
            tabs.getSelectionModel().select(1);
            after(Duration.ofSeconds(1), () -> {
                save(stage, comparison);
                if (exit) {
                    vm.close();
                    Platform.exit();
                }
            });
            return;
        }
        if (exit) {
            vm.close();
            Platform.exit();
        }
    }

    private static void save(Stage stage, String file) {
        WritableImage image = stage.getScene().snapshot(null);
        BufferedImage png = SwingFXUtils.fromFXImage(image, null);
        try {
            File target = new File(file);
            if (target.getParentFile() != null) {
                target.getParentFile().mkdirs();
            }
            ImageIO.write(png, "png", target);
            System.out.println("gallerybench: screenshot saved to " + target.getAbsolutePath());
        } catch (IOException e) {
            System.err.println("gallerybench: cannot save the screenshot: " + e.getMessage());
        }
    }

    private static void after(Duration d, Runnable r) {
        PauseTransition t = new PauseTransition(javafx.util.Duration.millis(d.toMillis()));
        t.setOnFinished(e -> r.run());
        t.play();
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.close();
        }
        if (view != null) {
            view.charts().stop();
        }
        // Environments the dashboard started (the local server) stop with it; docker containers and VMs stay as they are.
        if (standalone) {
            System.exit(0);
        }
    }
}
