package org.gallerybench.engine.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;

/**
 * What every command of the CLI shares: its picocli spec, its output, and a one-line answer. A command that only
 * groups subcommands (gallerybench, env, history) keeps the default {@link #call()}, which prints its usage.
 */
abstract class CliCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().usage(out());
        return GalleryBenchCli.OK;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints an answer, flushes, and returns success. */
    int say(String text) {
        out().println(text);
        out().flush();
        return GalleryBenchCli.OK;
    }
}
