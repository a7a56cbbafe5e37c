package org.gallerybench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short command a server test runs (curl, mount), so that its wait can always fire: the output goes to a file, not
 * a pipe that must be read before the wait, and past its deadline the command is killed and the test fails with what
 * it printed.
 */
final class TestProcesses {
    private TestProcesses() {
    }

    /** Runs the command; its output, or an AssertionError with it when it fails or does not end in time. */
    static String run(Duration deadline, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("gallery-test-command", ".log");
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!ended || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + (ended ? " exited " + p.exitValue() : " did not end within " + deadline)
                        + (command[0].equals("mount") ? " (mount needs root)" : "") + ": " + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
