package org.gallerybench.environments.local;

import java.nio.file.Path;

import org.gallerybench.environments.ServerArtifact;

/** A separate JVM that starts a local server, prints its pid, and waits to be killed. */
public final class LocalOwnerMain {
    private LocalOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        LocalSettings settings = LocalSettings.defaults(data.resolve("owner")).withPort(Integer.parseInt(args[1]))
                .withAotCacheDir(data.resolve("owner-aot"));
        LocalEnvironment local = new LocalEnvironment(settings);
        local.deploy(ServerArtifact.of(Path.of(args[2])));
        local.start();
        System.out.println("server-pid=" + local.pid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
