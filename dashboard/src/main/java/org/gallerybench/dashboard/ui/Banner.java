package org.gallerybench.dashboard.ui;

/**
 * A message across the top of the window: what happened and what to do. Never a stack trace.
 *
 * @param level  how it looks
 * @param title  one line: what failed or happened
 * @param detail the fix, or more about it
 */
public record Banner(Level level, String title, String detail) {
    public enum Level { INFO, SUCCESS, WARNING, ERROR }

    public static Banner error(String title, Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Banner(Level.ERROR, title, message);
    }
}
