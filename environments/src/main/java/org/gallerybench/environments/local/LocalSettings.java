package org.gallerybench.environments.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the local process runs.
 *
 * @param host          address the server binds and is reached at
 * @param port          its port (default 5002: 5000 is the container's, 5001 the VM's, as in the old study)
 * @param dataDir       its folder: uploads/ and server.log
 * @param javaHome      the Java 25 runtime that runs it (default: the one running this tool)
 * @param aotCacheDir   where AOT caches are kept
 * @param startDeadline how long to wait for the first 200
 * @param stopGrace     how long SIGTERM may take before the process is killed
 * @param serverEnv     more environment variables for the server (tests: GALLERY_TEST_START_DELAY_MS)
 */
public record LocalSettings(String host, int port, Path dataDir, Path javaHome, Path aotCacheDir, Duration startDeadline,
                            Duration stopGrace, Map<String, String> serverEnv) {

    public LocalSettings {
        serverEnv = serverEnv == null ? Map.of() : Map.copyOf(serverEnv);
    }
    public static final int DEFAULT_PORT = 5002;

    public static LocalSettings defaults(Path dataHome) {
        return new LocalSettings("127.0.0.1", DEFAULT_PORT, dataHome.resolve("local"), Path.of(System.getProperty("java.home")),
                dataHome.resolve("aot"), Duration.ofSeconds(60), Duration.ofSeconds(10), Map.of());
    }

    public LocalSettings withPort(int newPort) {
        return new LocalSettings(host, newPort, dataDir, javaHome, aotCacheDir, startDeadline, stopGrace, serverEnv);
    }

    public LocalSettings withDataDir(Path dir) {
        return new LocalSettings(host, port, dir, javaHome, aotCacheDir, startDeadline, stopGrace, serverEnv);
    }

    public LocalSettings withServerEnv(Map<String, String> env) {
        return new LocalSettings(host, port, dataDir, javaHome, aotCacheDir, startDeadline, stopGrace, env);
    }

    public LocalSettings withAotCacheDir(Path dir) {
        return new LocalSettings(host, port, dataDir, javaHome, dir, startDeadline, stopGrace, serverEnv);
    }
}
