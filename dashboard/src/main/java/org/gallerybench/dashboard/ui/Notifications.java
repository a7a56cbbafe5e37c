package org.gallerybench.dashboard.ui;

import java.util.concurrent.Executor;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The banners across the top of the window, as one service every view-model posts to: one event, one banner. A
 * banner replaces one of the same topic already shown; the newest four are kept. Posting is safe from any
 * thread (the list changes on the ui executor).
 */
public final class Notifications {
    static final int MAX = 4;

    private final Executor ui;
    private final ObservableList<Banner> banners = FXCollections.observableArrayList();

    public Notifications(Executor ui) {
        this.ui = ui;
    }

    public void post(Banner b) {
        ui.execute(() -> {
            // One change at a time, also where the ui executor is not one thread (a view-model test runs it directly):
            // two posts at once from two threads must not lose one.
            synchronized (banners) {
                banners.removeIf(existing -> existing.topic().equals(b.topic()));
                banners.addFirst(b);
                while (banners.size() > MAX) {
                    banners.removeLast();
                }
            }
        });
    }

    /** An error: what failed, and the cause in a person's words (never the exception's raw text). */
    public void error(String title, Throwable e) {
        post(Banner.error(title, e));
    }

    /** Takes down the banner of this topic, if one is shown (a new run withdraws the last run's outcome). */
    public void withdraw(String topic) {
        ui.execute(() -> {
            synchronized (banners) {
                banners.removeIf(b -> b.topic().equals(topic));
            }
        });
    }

    public void dismiss(Banner b) {
        ui.execute(() -> {
            synchronized (banners) {
                banners.remove(b);
            }
        });
    }

    /** The banners, newest first: the view binds to this list. */
    public ObservableList<Banner> banners() {
        return banners;
    }
}
