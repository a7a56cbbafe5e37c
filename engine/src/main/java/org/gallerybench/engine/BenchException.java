package org.gallerybench.engine;

/**
 * An error of the benchmark engine that a user can meet: its message says what failed and what to do next, and is
 * shown as it is, without a stack trace.
 */
public class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
