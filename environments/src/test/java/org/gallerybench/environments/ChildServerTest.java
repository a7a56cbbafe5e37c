package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child server's log, as a user meets it after hours of runs: its tail is read from its end (a log of many
 * megabytes is not read whole), a byte that is not UTF-8 (a crashing app prints anything) costs one character, not
 * every line, and a log past its limit is set aside at the next start instead of growing without end.
 */
class ChildServerTest {
    @TempDir
    Path dir;

    @Test
    void theTailOfALongLogWithABadByteIsItsLastLines() throws IOException {
        Path log = dir.resolve("app.log");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        Files.write(log, new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, '\n', 'l', 'a', 's', 't', '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(Files.size(log)).isGreaterThan(2_000_000);
        assertThat(ChildServer.tail(log, 3)).containsExactly("line 199999", "bad \uFFFD\uFFFD", "last");
        assertThat(ChildServer.tail(dir.resolve("none.log"), 3)).isEmpty();
    }

    @Test
    void aLogPastItsLimitIsSetAsideAtTheNextStart() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, new byte[(int) ChildServer.LOG_LIMIT_BYTES + 1]);
        try (ChildServer server = new ChildServer(log, Duration.ofSeconds(2), "test")) {
            server.start(new ProcessBuilder("sh", "-c", "echo started"));
            for (int i = 0; i < 100 && server.logTail(1).isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(server.logTail(5)).containsExactly("started");
        }
        assertThat(dir.resolve("app.log.1")).hasSize(ChildServer.LOG_LIMIT_BYTES + 1);
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).isEqualTo("started\n");
    }
}
