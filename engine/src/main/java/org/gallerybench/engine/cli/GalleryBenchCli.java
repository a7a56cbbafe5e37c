package org.gallerybench.engine.cli;

import java.io.PrintWriter;

import org.gallerybench.engine.setup.AppPaths;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.engine.history.RunHistory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import java.util.function.UnaryOperator;
import org.gallerybench.engine.run.UserMessages;
import org.gallerybench.engine.setup.EnvironmentSettings;

/**
 * The headless face of the engine: {@code gallerybench compare | capacity | env | history | report | subject}. Exit codes: 0 on
 * success, 1 when a threshold fails, 2 on an error (printed as one clear line).
 */
@Command(name = "gallerybench", mixinStandardHelpOptions = true, version = "Gallery Bench 0.1",
        description = "Measures what a container costs and saves compared with a VM, on a real web app (an image gallery).%n"
                + "Run without a command to open the dashboard.",
        subcommands = {CompareCommand.class, CapacityCommand.class, EnvCommand.class, HistoryCommand.class, ReportCommand.class, SubjectCommand.class,
                CommandLine.HelpCommand.class})
public final class GalleryBenchCli extends CliCommand {
    public static final int OK = 0;
    public static final int THRESHOLD_FAILED = 1;
    public static final int ERROR = 2;
    /** Ended by Ctrl-C or SIGTERM, as shells count an interrupt (128 + SIGINT). */
    public static final int CANCELLED = 130;

    /** The data folder of the command being run: {@link AppPaths#detect()} unless a caller gave one. */
    private static final ScopedValue<AppPaths> PATHS = ScopedValue.newInstance();

    /** Runs the CLI and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(AppPaths.detect(), args, out, err);
    }

    /**
     * Runs the CLI on the given folders (a test's own home, so that tests running side by side never share one
     * through a system property) and returns its exit code.
     */
    public static int run(AppPaths paths, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GalleryBenchCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = UserMessages.describe(e);
            commandLine.getErr().println("gallerybench: error: " + message.replace("\n", "\n  "));
            commandLine.getErr().flush();
            return ERROR;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("gallerybench: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return ERROR;
        });
        return ScopedValue.where(PATHS, paths).call(() -> cli.execute(args));
    }

    /** What every command needs: where things are, the saved settings, the environments. */
    static final class Context {
        final AppPaths paths = PATHS.isBound() ? PATHS.get() : AppPaths.detect();
        final SettingsStore.Saved saved = new SettingsStore(paths.settingsFile()).load();
        final EnvironmentCatalog catalog = new EnvironmentCatalog(paths, saved.environments());

        RunHistory history() {
            return new RunHistory(paths.history());
        }

        /** The environments with the saved settings, changed by this command's options. */
        EnvironmentCatalog catalog(UnaryOperator<EnvironmentSettings> change) {
            return new EnvironmentCatalog(paths, change.apply(saved.environments()));
        }
    }
}
