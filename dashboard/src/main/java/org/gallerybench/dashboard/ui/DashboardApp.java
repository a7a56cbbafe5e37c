package org.gallerybench.dashboard.ui;

/** The JavaFX dashboard (issue 6). */
public final class DashboardApp {
    private DashboardApp() {
    }

    public static void open() {
        System.err.println("gallerybench: the dashboard is not built yet; use a command, e.g. gallerybench compare --env local");
        System.exit(2);
    }
}
