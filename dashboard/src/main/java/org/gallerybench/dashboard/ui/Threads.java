package org.gallerybench.dashboard.ui;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;

/**
 * Where view-model work runs: {@code ui} is the JavaFX thread (property changes the view binds to), {@code io} is
 * for everything that waits (environments, files, the database). The JavaFX thread never does I/O. Tests pass a
 * direct {@code ui} executor and run view-models without a window.
 */
public record Threads(Executor ui, ExecutorService io) {

    public static Threads javafx() {
        return new Threads(Platform::runLater, Executors.newVirtualThreadPerTaskExecutor());
    }

    /** For tests: property changes happen on the calling thread. */
    public static Threads direct() {
        return new Threads(Runnable::run, Executors.newVirtualThreadPerTaskExecutor());
    }
}
