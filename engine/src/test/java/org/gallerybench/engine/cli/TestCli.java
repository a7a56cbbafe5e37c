package org.gallerybench.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.environments.TestServer;

/** Runs the CLI in a test's own home, as a user would type the command, and keeps what it printed. */
record TestCli(AppPaths paths) {

    /** The exit code and what went to standard output and standard error. */
    record Outcome(int code, String out, String err) {
    }

    /** The CLI of this checkout, with {@code home} as its data folder (and home/config as its config folder). */
    static TestCli at(Path home) {
        return new TestCli(new AppPaths(TestServer.projectRoot(), home, home.resolve("config")));
    }

    Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GalleryBenchCli.run(paths, args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }
}
