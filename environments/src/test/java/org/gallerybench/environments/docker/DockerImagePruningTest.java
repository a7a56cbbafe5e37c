package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Old builds' images are pruned, keeping the newest two, and never one a container uses. Against the real engine,
 * with an image repository and a container of the test's own (the user's gallerybench/gallery images are not looked at).
 */
class DockerImagePruningTest {
    static final String REPO = "gallerybench-test/prune";
    static final String CONTAINER = "gallerybench-test-prune";
    static DockerEnvironment docker;

    @BeforeAll
    static void connect() {
        docker = new DockerEnvironment(DockerSettings.defaults().withContainerName(CONTAINER)
                .withImage(REPO, java.util.Optional.of(DockerSettings.LOCAL_BASE)));
        docker.connect();
        cleanUp();
    }

    @AfterAll
    static void cleanUp() {
        sh("docker", "rm", "-f", CONTAINER);
        for (String t : List.of("b1", "b2", "b3", "b4", "b5", "latest")) {
            sh("docker", "rmi", REPO + ":" + t);
        }
    }

    @Test
    void keepsTheNewestTwoAndAnyImageAContainerUses() throws Exception {
        // Five builds, oldest first (Docker dates images to the second); the oldest is still used by a stopped container.
        for (int i = 1; i <= 5; i++) {
            build("b" + i, i);
            Thread.sleep(1100);
        }
        assertThat(sh("docker", "create", "--name", CONTAINER, REPO + ":b1", "true").exit()).isZero();

        List<String> removed = docker.images().pruneOldImages(REPO + ":b5");

        assertThat(removed).containsExactlyInAnyOrder(REPO + ":b2", REPO + ":b3");
        assertThat(tags()).contains("b5", "b4").as("in use by a container: kept").contains("b1").doesNotContain("b2", "b3");
        // A second pruning finds nothing more to do.
        assertThat(docker.images().pruneOldImages(REPO + ":b5")).isEmpty();
    }

    private static void build(String tag, int n) {
        String dockerfile = "FROM " + DockerSettings.LOCAL_BASE + "\nLABEL " + DockerSettings.MANAGED_LABEL + "=true org.gallerybench.test.build=" + n + "\n";
        Result r = shIn(dockerfile, "docker", "build", "-q", "-t", REPO + ":" + tag, "-");
        assertThat(r.exit()).as(r.out()).isZero();
    }

    private static List<String> tags() {
        return sh("docker", "images", REPO, "--format", "{{.Tag}}").out().lines().toList();
    }

    record Result(int exit, String out) {
    }

    private static Result sh(String... command) {
        return shIn(null, command);
    }

    private static Result shIn(String stdin, String... command) {
        org.gallerybench.environments.Command c = org.gallerybench.environments.Command.of(command).deadline(java.time.Duration.ofMinutes(2));
        if (stdin != null) {
            c.input(stdin);
        }
        org.gallerybench.environments.Command.Result r = org.gallerybench.environments.Child.run(c, command[0] + " " + command[1]);
        return new Result(r.exitCode(), r.output());
    }
}
