package org.gallerybench.environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * A test's child process (./gallerybench, docker, xvfb-run, ...), run so that every wait can fire: its output is read
 * on a thread of its own and echoed, line by line with the time, into the test's output (Surefire keeps it in the
 * report), and it has a deadline, past which it is stopped with everything it started and the test fails with its
 * last lines. A hung child fails its test in the deadline's time, never at CI's limit.
 */
public final class Child {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Child() {
    }

    /** Echoes each line as "HH:mm:ss.SSS [label] line". */
    public static Command echoing(Command command, String label) {
        return command.onLine(line -> System.out.println(LocalTime.now().format(TIME) + " [" + label + "] " + line));
    }

    /** Starts the command, echoing its output under {@code label}. */
    public static Command.Running start(Command command, String label) {
        try {
            return echoing(command, label).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.args(), e);
        }
    }

    /** Runs the command to its end; fails the test, with its last lines, when it does not end within its deadline. */
    public static Command.Result run(Command command, String label) {
        return await(start(command, label), label);
    }

    /** Runs the command and fails the test, with its last lines, unless it exits 0 within its deadline. */
    public static String ok(Command command, String label) {
        Command.Result r = run(command, label);
        if (r.exitCode() != 0) {
            throw new AssertionError(label + " exited " + r.exitCode() + " (expected 0). Its last lines:\n  " + r.tail(40));
        }
        return r.output();
    }

    /** Waits for a started child; fails the test, with its last lines, when it does not end within its deadline. */
    public static Command.Result await(Command.Running running, String label) {
        try {
            Command.Result r = running.await();
            if (r.timedOut()) {
                throw new AssertionError(label + " did not finish within its deadline and was stopped. Its last lines:\n  " + r.tail(40));
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(label + " was interrupted (the test's own timeout?). Its last lines:\n  "
                    + tail(running.output(), 40), e);
        }
    }

    /** A short command's output (docker rm, pgrep, ...), within a minute. */
    public static String quick(String... args) {
        return run(Command.of(args).deadline(Duration.ofMinutes(1)), args[0]).output();
    }

    private static String tail(String text, int lines) {
        return new Command.Result(java.util.List.of(), 0, false, text).tail(lines);
    }
}
