package org.gallerybench.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.gallerybench.engine.setup.EnvironmentSettings;
import org.gallerybench.engine.setup.SettingsStore;
import org.gallerybench.environments.Child;
import org.gallerybench.environments.Command;
import org.gallerybench.environments.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first run, as one meets it: a data folder and a cache folder with nothing in them, and two comparisons
 * started at once (the dashboard and a script, or two scripts). Everything made on first use (the 200-image dataset,
 * the server's AOT cache, the history, the settings) is made once: the second process waits for what the first is
 * making and adopts it, and waits for the local server the first is measuring. Both succeed, on the same dataset.
 */
class FirstRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    @TempDir
    Path cache;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoComparisonsStartedAtOnceOnEmptyFoldersBothSucceedOnOneDataset() throws Exception {
        // Only a port of the test's own is set (the user's local gallery on 5002 is never touched); no history, no dataset,
        // no AOT cache, no uploads.
        SettingsStore.Saved defaults = SettingsStore.Saved.defaults();
        new SettingsStore(home.resolve("config/settings.json")).save(new SettingsStore.Saved(EnvironmentSettings.defaults().withLocalPort(5094),
                defaults.profile(), null, defaults.exportWidth(), defaults.exportHeight()));
        assertThat(cache).isEmptyDirectory();

        Command.Running first = Child.start(compare("first"), "first");
        Command.Running second = Child.start(compare("second"), "second");
        Command.Result a = Child.await(first, "first");
        Command.Result b = Child.await(second, "second");

        assertThat(a.exitCode()).as(a.tail(30)).isZero();
        assertThat(b.exitCode()).as(b.tail(30)).isZero();
        JsonNode runA = JSON.readTree(home.resolve("results-first/run.json").toFile());
        JsonNode runB = JSON.readTree(home.resolve("results-second/run.json").toFile());
        for (JsonNode run : List.of(runA, runB)) {
            assertThat(run.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(run.path("dataset").path("count").asInt()).isEqualTo(200);
            assertThat(run.path("environments").get(0).path("failure").isNull()).as(run.path("environments").get(0).path("failure").asText()).isTrue();
        }
        assertThat(runA.path("dataset").path("digest").asText()).isNotBlank().isEqualTo(runB.path("dataset").path("digest").asText());
        // One of the two found the local server measured by the other, said so, and waited.
        assertThat(a.output() + b.output()).contains("waiting for another run that measures http://127.0.0.1:5094/");
        // Made once: one dataset and one AOT cache in the cache folder, no half-made copy left beside them.
        try (var datasets = Files.list(cache.resolve("datasets"))) {
            assertThat(datasets.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList()).hasSize(1)
                    .allSatisfy(n -> assertThat(n).doesNotStartWith(".making-"));
        }
        try (var aot = Files.list(cache.resolve("aot"))) {
            assertThat(aot.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".aot")).toList()).hasSize(1);
        }
        String history = Child.ok(gallerybench(Duration.ofMinutes(1), "history", "list"), "history list");
        assertThat(history).contains(runA.path("id").asText()).contains(runB.path("id").asText());
    }

    private Command compare(String name) {
        return gallerybench(Duration.ofMinutes(5), "compare", "--env", "local", "--duration", "2s", "--warmup", "1s", "--rounds", "1",
                "--startup-trials", "1", "--concurrency", "8", "--cool-down", "0s", "--dataset", "200", "--format", "json",
                "--out", home.resolve("results-" + name).toString(), "--label", name);
    }

    private Command gallerybench(Duration deadline, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(TestServer.projectRoot().resolve("gallerybench").toString()));
        command.addAll(List.of(args));
        return Command.of(command).dir(home)
                .env("GALLERYBENCH_HOME", home.toString()).env("GALLERYBENCH_CACHE", cache.toString()).deadline(deadline);
    }
}
