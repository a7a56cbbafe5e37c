package org.gallerybench.dashboard;

import java.io.PrintWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.gallerybench.engine.cli.GalleryBenchCli;
import org.gallerybench.dashboard.ui.DashboardApp;

/**
 * The one entry point: with no arguments it opens the dashboard, with a command it runs the headless CLI. (It does
 * not extend Application, so the JavaFX jars can sit on the plain class path.)
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        quietLogging();
        if (args.length == 0 || (args.length == 1 && args[0].equals("dashboard"))) {
            DashboardApp.open();
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = GalleryBenchCli.run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Libraries log warnings and worse, on one line each; our own messages reach the user through the CLI or the UI. */
    static void quietLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        LogManager.getLogManager().reset();
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%n");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.WARNING);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(handler);
        Logger.getLogger("org.apache.hc").setLevel(Level.SEVERE);
        Logger.getLogger("com.github.dockerjava").setLevel(Level.SEVERE);
        // JavaFX on the class path (the launcher's choice, see above) is supported here; its warning says nothing useful.
        Logger.getLogger("javafx").setLevel(Level.SEVERE);
    }
}
