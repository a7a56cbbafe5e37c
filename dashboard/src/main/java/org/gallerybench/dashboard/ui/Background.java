package org.gallerybench.dashboard.ui;

import java.util.function.Consumer;

/**
 * Background work that comes back to the JavaFX thread: {@code work} runs on the io executor; its result goes to
 * {@code onSuccess} on the ui executor; a failure becomes one error banner with {@code failureTitle}. After JabRef's
 * BackgroundTask: view-models never touch threads or catch blocks for the usual case.
 */
public final class Background {
    /** Work that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T call() throws Exception;
    }

    /** Work without a result. */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    private final Threads threads;
    private final Notifications notifications;

    public Background(Threads threads, Notifications notifications) {
        this.threads = threads;
        this.notifications = notifications;
    }

    public <T> void run(String failureTitle, Work<T> work, Consumer<T> onSuccess) {
        threads.io().submit(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception e) {
                notifications.error(failureTitle, e);
                return;
            }
            threads.ui().execute(() -> onSuccess.accept(result));
        });
    }

    public void run(String failureTitle, Job job) {
        run(failureTitle, () -> {
            job.run();
            return null;
        }, nothing -> { });
    }

    /** Then {@code after} on the io executor, whether the job failed or not. */
    public void run(String failureTitle, Job job, Runnable after) {
        threads.io().submit(() -> {
            try {
                job.run();
            } catch (Exception e) {
                notifications.error(failureTitle, e);
            } finally {
                after.run();
            }
        });
    }
}
