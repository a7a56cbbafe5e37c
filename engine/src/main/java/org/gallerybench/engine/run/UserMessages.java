package org.gallerybench.engine.run;

import org.gallerybench.engine.BenchException;
import org.gallerybench.engine.load.ErrorKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.gallerybench.environments.EnvironmentException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a person reads when something fails: the tool's own exceptions already say what failed and what to do, and
 * their text is used as it is; a file or network error is named plainly; anything else is a bug of this tool, said
 * to be one, with its stack trace in the log. A raw exception text ("Index -7 out of bounds for length 101") never
 * reaches a banner, a card or the CLI's one-line answers.
 */
public final class UserMessages {
    private static final Logger LOG = Logger.getLogger(UserMessages.class.getName());

    private UserMessages() {
    }

    public static String describe(Throwable e) {
        if (e instanceof CompletionException || e instanceof ExecutionException) {
            if (e.getCause() != null) {
                return describe(e.getCause());
            }
        }
        boolean ours = e instanceof EnvironmentException || e instanceof BenchException || e instanceof IllegalArgumentException;
        if (ours && e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            Throwable io = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            String what = io instanceof NoSuchFileException n ? "no such file: " + n.getFile()
                    : io instanceof AccessDeniedException a ? "permission denied: " + a.getFile()
                    : io instanceof FileSystemException f && f.getReason() != null ? f.getReason() + ": " + f.getFile()
                    : ErrorKind.describe(io);
            return "a file or network operation failed (" + what + "). Check the path, the free space and the permissions, then try again.";
        }
        LOG.log(Level.WARNING, "Unexpected error", e);
        return "an unexpected error (" + e.getClass().getSimpleName() + ") stopped it. This is a bug in Gallery Bench; the log has the"
                + " details. Try again, and report it if it happens again.";
    }
}
