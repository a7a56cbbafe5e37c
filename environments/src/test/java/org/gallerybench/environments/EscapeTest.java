package org.gallerybench.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Each escaping function against its real reader: a word through a real POSIX shell comes out as the value itself,
 * whatever it holds; the systemd forms are what systemd's own rules make one value of (checked in a real guest by
 * VagrantVmTest, and the Dockerfile form by a real build in DockerSubjectImageTest). A control character is refused
 * by every function: no target has a safe form for it.
 */
public class EscapeTest {
    /** What an attacker writes into a manifest's values, one target's special characters each. */
    public static final List<String> HOSTILE = List.of("$(id)", "`id`", "$HOME", "${PORT}x", "'", "\"", "\\", "it's \"quoted\"", "%n %% %",
            "-o", "--", "; id", "a b", "#not a comment", "*", "~", "&& echo owned", "| id", "$$", "\\n", "ünïcode ✓");

    @Test
    void aShellWordIsTheValueItselfThroughARealShell() {
        for (String value : HOSTILE) {
            Command.Result r = Child.run(Command.of("sh", "-c", "printf '%s' " + Escape.shellWord(value)).deadline(Duration.ofSeconds(10)),
                    "sh");
            assertThat(r.exitCode()).isZero();
            assertThat(r.output()).as("through sh: %s", value).isEqualTo(value);
        }
        // Several words stay several arguments, each whole.
        List<String> words = new ArrayList<>();
        HOSTILE.forEach(v -> words.add(Escape.shellWord(v)));
        Command.Result all = Child.run(Command.of("sh", "-c", "for a in " + String.join(" ", words) + "; do printf '[%s]' \"$a\"; done")
                .deadline(Duration.ofSeconds(10)), "sh");
        assertThat(all.output()).isEqualTo(String.join("", HOSTILE.stream().map(v -> "[" + v + "]").toList()));
    }

    @Test
    void theSystemdFormsQuoteEscapeAndDoubleWhatSystemdExpands() {
        assertThat(Escape.systemdArgument("a b")).isEqualTo("\"a b\"");
        assertThat(Escape.systemdArgument("100% $HOME \"q\" \\")).isEqualTo("\"100%% $$HOME \\\"q\\\" \\\\\"");
        assertThat(Escape.systemdEnvironment("MODE", "50% $HOME \"q\"")).isEqualTo("\"MODE=50%% $HOME \\\"q\\\"\"");
        assertThat(Escape.dockerfileString("a \"b\" \\ $X")).isEqualTo("\"a \\\"b\\\" \\\\ $X\"");
    }

    @Test
    void aControlCharacterIsRefusedByEveryTarget() {
        for (String bad : List.of("a\nExecStartPre=+/bin/sh", "a\rb", "tab\there", "nul\0", "del\u007f", "line\u2028sep")) {
            assertThat(Escape.printable(bad)).isFalse();
            assertThatThrownBy(() -> Escape.shellWord(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Escape.dockerfileString(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Escape.systemdArgument(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Escape.systemdEnvironment("A", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("control character");
        }
        HOSTILE.forEach(v -> assertThat(Escape.printable(v)).as(v).isTrue());
    }
}
