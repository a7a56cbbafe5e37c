package org.gallerybench.environments;

/** A failure a user can meet; the message says what failed and what to do next, in one or two sentences. */
public class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
