package org.gallerybench.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.gallerybench.environments.TestServer;
import org.gallerybench.environments.subject.SubjectManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gallerybench subject list | check}, through the CLI as a user runs it: the two subjects that ship are listed and
 * read, and each kind of mistake in a manifest is one message that names the file, the line, and what to write; the
 * subject's folder is never changed by a check.
 */
class SubjectCommandTest {
    @TempDir
    Path home;


    TestCli.Outcome cli(String... args) {
        return TestCli.at(home).run(args);
    }

    @Test
    void theShippedSubjectsAreListedAndTheirManifestsAreFine() {
        TestCli.Outcome list = cli("subject", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("gallery ").contains("(the default)").contains("flask-gallery").contains("local, docker, gvisor, vm");

        TestCli.Outcome flask = cli("subject", "check", "flask-gallery");
        assertThat(flask.code()).as(flask.err()).isZero();
        assertThat(flask.out()).startsWith("flask-gallery 1: the manifest is fine (build ")
                .contains("port from $PORT").contains("image = GET /static/uploads/{image}").contains("upload = POST /upload")
                .contains("$GALLERY_UPLOAD_DIR (checked by listing the folder)");
        TestCli.Outcome gallery = cli("subject", "check", TestServer.projectRoot().resolve("subjects/gallery").toString());
        assertThat(gallery.code()).as(gallery.err()).isZero();
        assertThat(gallery.out()).contains("the built-in gallery").contains("GET /api/images");
    }

    @Test
    void eachMistakeIsOneMessageWithItsLineAndWhatToWrite() throws Exception {
        String good = Files.readString(TestServer.projectRoot().resolve("subjects/flask-gallery/" + SubjectManifests.FILE));

        assertThat(check(good.replace("name = \"flask-gallery\"\n", ""), "app.py"))
                .contains("no name: write name = \"my-app\" at the top");
        assertThat(check(good.replace("[local]\ncommand", "[local]\ncomand"), "app.py"))
                .matches("(?s).*subject.toml line 1[0-9]: unknown key 'comand' in \\[local\\]: did you mean 'command'\\?.*")
                .contains("The keys there are command, env.");
        assertThat(check(good.replace("port_env = \"PORT\"", "port_env = 8080"), "app.py"))
                .matches("(?s).*line \\d+: 'port_env' must be a string in double quotes \\(in \\[listen\\]\\)\\..*");
        assertThat(check(good.replace("[local]\ncommand = [\"gunicorn\"", "[local]\ncommand = \"gunicorn\" #"), "app.py"))
                .containsAnyOf("'command' must be a list of strings", "not valid TOML");
        assertThat(check(good.replace("path = \"/static/uploads/{image}\"", "path = \"/static/uploads/\""), "app.py"))
                .matches("(?s).*line \\d+: \\[requests.image\\]'s path names the image with \\{image\\}.*");
        assertThat(check(good.replace("[store]\nenv = \"GALLERY_UPLOAD_DIR\"\nlisting = \"folder\"\n", ""), "app.py"))
                .contains("image requests need stored images: add [store]");
        assertThat(check(good, "other.py")).contains("[container] copies \"app.py\", which is not in");
        assertThat(check("name = \"x\"\n[listen\nport_env = \"PORT\"\n", "app.py")).contains("line 2").contains("not valid TOML");
        assertThat(check(good.replace("[requests.upload]", "[requests.download]"), "app.py"))
                .contains("[requests.download] is not a request kind: use page, image or upload.");

        TestCli.Outcome none = cli("subject", "check", home.resolve("no-such-folder").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("No subject '" + home.resolve("no-such-folder") + "': choose one of ").contains("flask-gallery");
    }

    /** Writes a manifest and one file into a folder of its own, checks it through the CLI, and returns the error (exit 2). */
    private String check(String manifest, String file) throws Exception {
        Path dir = Files.createTempDirectory(home, "subject-");
        Files.writeString(dir.resolve(SubjectManifests.FILE), manifest);
        Files.writeString(dir.resolve(file), "print('hello')\n");
        List<String> before = listing(dir);
        TestCli.Outcome o = cli("subject", "check", dir.toString());
        assertThat(o.code()).as("a wrong manifest is an error: " + o.out()).isEqualTo(2);
        assertThat(o.err()).startsWith("gallerybench: error: " + dir.resolve(SubjectManifests.FILE))
                .doesNotContain("com.fasterxml").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(listing(dir)).as("a check changes nothing in the folder").isEqualTo(before);
        return o.err();
    }

    private static List<String> listing(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName() + ":" + p.toFile().length() + ":" + p.toFile().lastModified()).sorted().toList();
        }
    }
}
