package org.gallerybench.environments.subject;

import org.gallerybench.environments.EnvironmentException;

/** A subject that cannot be used: its manifest is wrong, or it cannot run where it was asked to. The message says what to do. */
public final class SubjectException extends EnvironmentException {
    public SubjectException(String message) {
        super(message);
    }

    public SubjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
