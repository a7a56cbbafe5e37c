package org.gallerybench.dashboard.ui;

import org.gallerybench.engine.run.UserMessages;

/**
 * A message across the top of the window: what happened and what to do. Never a stack trace.
 *
 * @param level  how it looks
 * @param title  one line: what failed or happened
 * @param detail the fix, or more about it
 * @param topic  what it is about: a banner replaces one of the same topic (by default its title; every banner about
 *               the comparison run has the topic "run", so a new run's outcome replaces the last one's)
 */
public record Banner(Level level, String title, String detail, String topic) {
    public enum Level { INFO, SUCCESS, WARNING, ERROR }

    /** The comparison run's topic. */
    public static final String RUN = "run";

    public Banner(Level level, String title, String detail) {
        this(level, title, detail, title);
    }

    public Banner about(String newTopic) {
        return new Banner(level, title, detail, newTopic);
    }

    /** An error banner whose detail says what failed in a person's words (never the exception's raw text). */
    public static Banner error(String title, Throwable e) {
        return new Banner(Level.ERROR, title, UserMessages.describe(e));
    }
}
