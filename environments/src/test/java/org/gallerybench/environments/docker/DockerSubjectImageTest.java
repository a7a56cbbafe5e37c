package org.gallerybench.environments.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.gallerybench.environments.Child;
import org.gallerybench.environments.Command;
import org.gallerybench.environments.EscapeTest;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectManifests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest's values in a real Dockerfile, built by the real engine: a subject whose command carries every hostile
 * value of {@link EscapeTest#HOSTILE} gets an image whose CMD gives the program exactly those words (the one rule:
 * ${PORT} and ${HOST} replaced, nothing else expanded), so no value became an instruction, a variable or a command.
 * The image is the test's own (its repository is the subject's name) and removed afterwards.
 */
class DockerSubjectImageTest {
    static final String NAME = "escape-test";
    @TempDir
    static Path dir;

    @AfterAll
    static void cleanUp() {
        Child.run(Command.of("sh", "-c", "docker images -q gallerybench/subject-" + NAME + " | xargs -r docker rmi -f")
                .deadline(Duration.ofMinutes(1)), "docker rmi");
    }

    @Test
    void hostileCommandWordsReachTheProgramAsTheyAre() throws Exception {
        StringBuilder words = new StringBuilder("\"/bin/sh\", \"-c\", \"for a; do printf '[%s]\\\\n' \\\"$a\\\"; done\", \"sh\"");
        for (String value : EscapeTest.HOSTILE) {
            words.append(", \"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        Files.writeString(dir.resolve(SubjectManifests.FILE), """
                name = "%s"
                [listen]
                port_env = "PORT"
                [container]
                command = [%s]
                [requests.page]
                path = "/"
                """.formatted(NAME, words));
        Subject subject = SubjectManifests.read(dir);

        DockerEnvironment docker = new DockerEnvironment(DockerSettings.defaults().withContainerName("gallerybench-test-escape"));
        docker.connect();
        String image;
        try {
            image = docker.images().ensureSubject(subject);
        } finally {
            docker.close();
        }

        Command.Result run = Child.run(Command.of("docker", "run", "--rm", image).deadline(Duration.ofMinutes(1)), "docker run");
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> expected = EscapeTest.HOSTILE.stream().map(v -> "[" + v.replace("${PORT}", "8080") + "]").toList();
        assertThat(run.output().lines().toList()).isEqualTo(expected);
    }
}
