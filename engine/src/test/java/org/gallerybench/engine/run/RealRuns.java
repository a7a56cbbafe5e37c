package org.gallerybench.engine.run;

import org.gallerybench.engine.load.LoadProfile;
import org.gallerybench.engine.load.RequestMix;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.local.LocalEnvironment;
import org.gallerybench.environments.local.LocalSettings;

/** A short, real run of the local environment, made once per test JVM and shared by the report and history tests. */
public final class RealRuns {
    private static RunResult local;

    private RealRuns() {
    }

    public static synchronized RunResult local() {
        if (local == null) {
            try {
                Path data = Files.createTempDirectory("gallerybench-real-run");
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                try (LocalEnvironment env = new LocalEnvironment(LocalSettings.defaults(data).withPort(port)
                        .withAotCacheDir(TestServer.projectRoot().resolve("environments/target/aot")));
                     EventBus bus = new EventBus()) {
                    RunPlan plan = RunPlan.of(List.of("local"), LoadProfile.closed(8, Duration.ofSeconds(3)).withMix(RequestMix.browsing())
                                    .withUploadBytes(16 * 1024)).withStartupTrials(3, false, 3).withSampling(Duration.ofMillis(500), Duration.ZERO)
                            .withLabel("test run");
                    local = new ComparisonRun(plan, Map.of("local", env), TestServer.artifact(), bus).run();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return local;
    }
}
