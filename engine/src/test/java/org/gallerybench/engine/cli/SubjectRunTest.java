package org.gallerybench.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.gallerybench.environments.subject.SubjectManifests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app under test is a choice: an app of the test's own in a folder outside the repository, measured through
 * {@code gallerybench compare --subject} as a user runs it (the Flask gallery in local, docker and the VM is
 * GallerybenchScriptE2EIT's, which has the tests' VM), with real processes and real HTTP. And each
 * way an app can fail to start is one clear error that names the app and the environment, with the user's folder
 * left as it was.
 */
class SubjectRunTest {
    @TempDir
    Path home;
    int port;
    int dockerPort;


    @BeforeEach
    void ownHome() throws Exception {
        try (ServerSocket s = new ServerSocket(0); ServerSocket d = new ServerSocket(0)) {
            port = s.getLocalPort();
            dockerPort = d.getLocalPort();
        }
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/settings.json"), """
                {"environments": {"local": {"port": %d}, "docker": {"port": %d, "matchLimits": false}}, "profile": "quick", "selected": ["local"],
                 "exportWidth": 1200, "exportHeight": 600}
                """.formatted(port, dockerPort));
    }

    /** The containers and volumes this test's home made (a name of its own, with the subject's name after it) go. */
    @org.junit.jupiter.api.AfterEach
    void removeContainers() throws Exception {
        String name = TestCli.at(home).paths().dockerContainerName();
        String containers = org.gallerybench.environments.Child.quick("docker", "ps", "-aq", "--filter", "name=^/" + name + "-");
        for (String id : containers.lines().filter(l -> !l.isBlank()).toList()) {
            org.gallerybench.environments.Child.quick("docker", "rm", "-f", id.strip());
        }
        String volumes = org.gallerybench.environments.Child.quick("docker", "volume", "ls", "-q", "--filter", "name=^" + name + "-");
        for (String v : volumes.lines().filter(l -> !l.isBlank()).toList()) {
            org.gallerybench.environments.Child.quick("docker", "volume", "rm", v.strip());
        }
    }

    TestCli.Outcome cli(String... args) {
        return TestCli.at(home).run(args);
    }

    @Test
    void anAppOfTheUsersOwnInAFolderOutsideTheRepository() throws Exception {
        Path app = ownApp("python3", "app.py");
        TestCli.Outcome o = cli("compare", "--subject", app.toString(), "--env", "local,docker", "--duration", "2s", "--warmup", "1s",
                "--startup-trials", "1", "--concurrency", "4", "--mix", "page=100", "--dataset", "0", "--out", home.resolve("own").toString());
        // The local process is measured; the container says what its manifest lacks, and the run says so in one line (exit 2).
        assertThat(o.code()).as(o.out()).isEqualTo(2);
        assertThat(o.err()).contains("not every environment could be measured: docker: hello-app in docker: its manifest has no [container]"
                + " section: add one (packages, files, command) to measure it in a container.");
        JsonNode run = new ObjectMapper().readTree(home.resolve("own/run.json").toFile());
        JsonNode local = run.path("environments").get(0);
        assertThat(local.path("environment").asText()).isEqualTo("local");
        assertThat(local.path("summary").path("requestsPerSecond").asDouble()).isPositive();
        assertThat(errors(local)).as(local.path("load").path("firstErrors").toString()).isZero();
        assertThat(o.out()).contains("| Metric | Local process |");

        TestCli.Outcome onlyLocal = cli("compare", "--subject", app.toString(), "--env", "local", "--duration", "1s", "--warmup", "0s",
                "--startup-trials", "0", "--concurrency", "2", "--dataset", "0", "--no-history", "--out", home.resolve("own2").toString());
        assertThat(onlyLocal.code()).as(onlyLocal.err()).isZero();

        TestCli.Outcome browsing = cli("compare", "--subject", app.toString(), "--env", "local", "--profile", "quick", "--no-history",
                "--out", home.resolve("reports").toString());
        assertThat(browsing.code()).isEqualTo(2);
        assertThat(browsing.err()).contains("The request mix asks for image, which hello-app does not declare: add [requests.image]");
    }

    /**
     * --rounds auto: against a steady app the rounds stop as soon as every headline figure's interval is 90 % sure and within
     * the target (5 rounds: fewer cannot give a median a 90 % interval), before the maximum; against one that gets slower and slower (a leak: each second's answers slower than the last)
     * they run to the maximum, and the run says which figures did not settle and why it stopped. Both apps spend a fixed
     * time on each request (20 ms, or more), so that a busy machine (CI runs a VM beside the tests) moves them little.
     */
    @Test
    void roundsUntilStableStopEarlyOnASteadyAppAndSayWhatDidNotSettleOnADriftingOne() throws Exception {
        String[] plan = {"--env", "local", "--rounds", "auto", "--rounds-target", "30%", "--max-rounds", "7", "--duration", "3s", "--warmup", "1s",
                "--startup-trials", "0", "--concurrency", "4", "--mix", "page=100", "--dataset", "0", "--cool-down", "0s", "--no-history",
                "--format", "json"};
        Path steady = ownApp("python3", "app.py");
        Files.writeString(steady.resolve("app.py"), SLOW_APP.replace("DELAY", "0.02"));
        TestCli.Outcome a = cli(concat(new String[] {"compare", "--subject", steady.toString(), "--out", home.resolve("steady").toString()}, plan));
        assertThat(a.code()).as(a.err()).isZero();
        JsonNode quiet = new ObjectMapper().readTree(home.resolve("steady/run.json").toFile());
        assertThat(quiet.path("environments").get(0).path("rounds").size()).as("a steady app settles as soon as its intervals can be 90 % sure (5 rounds): " + quiet.path("environments").get(0).path("rounds")
                + quiet.path("warnings")).isEqualTo(5);
        assertThat(quiet.path("warnings").toString()).doesNotContain("did not settle");
        assertThat(a.out()).contains("rounds auto (±30 %, 5 to 7 rounds)");

        Path drifting = ownApp("python3", "app.py");
        // Twice as slow every 5 s: about 35 ms a request in the first round, 300 ms in the seventh.
        Files.writeString(drifting.resolve("app.py"), SLOW_APP.replace("DELAY", "0.02 * 2 ** ((time.time() - STARTED) / 5)"));
        TestCli.Outcome b = cli(concat(new String[] {"compare", "--subject", drifting.toString(), "--out", home.resolve("drifting").toString()}, plan));
        assertThat(b.code()).as(b.err()).isZero();
        JsonNode noisy = new ObjectMapper().readTree(home.resolve("drifting/run.json").toFile());
        assertThat(noisy.path("environments").get(0).path("rounds").size()).as("a drifting app runs to the maximum").isEqualTo(7);
        assertThat(noisy.path("warnings").toString()).containsPattern("Local process: [a-z0-9/ ,±.%]+ did not settle within ±30 % after 7 rounds"
                + " \\(the maximum reached\\)");
    }

    /** An app that spends DELAY seconds on each request (a Python expression; STARTED is when it started). */
    private static final String SLOW_APP = """
            import http.server, os, time
            STARTED = time.time()
            class Slow(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    time.sleep(DELAY)
                    body = b"<h1>hello</h1>"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            http.server.ThreadingHTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Slow).serve_forever()
            """;

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void anAppThatExitsAtOnceNeverAnswersOrIsNotInstalledIsOneClearError() throws Exception {
        Path exits = ownApp("python3", "-c", "import sys; print('no config file'); sys.exit(3)");
        TestCli.Outcome a = cli("compare", "--subject", exits.toString(), "--env", "local", "--duration", "1s", "--dataset", "0", "--no-history",
                "--out", home.resolve("reports").toString());
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err()).contains("local: hello-app (local) exited with code 3 before it answered").contains("no config file");

        Path silent = ownApp("sleep", "600");
        Files.writeString(silent.resolve(SubjectManifests.FILE), Files.readString(silent.resolve(SubjectManifests.FILE))
                .replace("ready_path = \"/\"", "ready_path = \"/\"\nready_within_seconds = 3"));
        TestCli.Outcome b = cli("compare", "--subject", silent.toString(), "--env", "local", "--duration", "1s", "--dataset", "0", "--no-history",
                "--out", home.resolve("reports").toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("within 3").contains("Does hello-app listen on the port in $PORT");
        assertThat(Files.list(silent).map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("app.py", SubjectManifests.FILE);

        Path missing = ownApp("no-such-program-gb", "--serve");
        TestCli.Outcome c = cli("compare", "--subject", missing.toString(), "--env", "local", "--duration", "1s", "--dataset", "0", "--no-history",
                "--out", home.resolve("reports").toString());
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("hello-app (local): its command 'no-such-program-gb' is not installed here (not on PATH). Install it");
    }

    @Test
    void aContainerThatDoesNotBuildIsOneLineAndTheOthersAreStillMeasured() throws Exception {
        Path noPackage = ownApp("python3", "app.py");
        Files.writeString(noPackage.resolve(SubjectManifests.FILE), Files.readString(noPackage.resolve(SubjectManifests.FILE)) + """

                [container]
                packages = ["no-such-package-gb"]
                files = ["app.py"]
                command = ["python3", "app.py"]
                """);
        TestCli.Outcome a = cli("compare", "--subject", noPackage.toString(), "--env", "local,docker", "--duration", "1s", "--warmup", "0s",
                "--startup-trials", "0", "--concurrency", "2", "--mix", "page=100", "--dataset", "0", "--no-history",
                "--out", home.resolve("reports").toString());
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err()).contains("docker: hello-app (docker): its image did not build").contains("check packages, files and command under"
                + " [container] in " + noPackage.resolve(SubjectManifests.FILE)).contains("no-such-package-gb");
        JsonNode run = new ObjectMapper().readTree(home.resolve("reports/run.json").toFile());
        assertThat(run.path("environments").get(0).path("summary").path("requestsPerSecond").asDouble()).as("local is still measured").isPositive();

        Path badDockerfile = ownApp("python3", "app.py");
        Files.writeString(badDockerfile.resolve("Dockerfile"), "FROM gallerybench/java25-base:local\nRUN echo 'the build step fails' && exit 3\n");
        Files.writeString(badDockerfile.resolve(SubjectManifests.FILE), Files.readString(badDockerfile.resolve(SubjectManifests.FILE)) + """

                [container]
                dockerfile = "Dockerfile"
                """);
        List<String> before = listing(badDockerfile);
        TestCli.Outcome b = cli("compare", "--subject", badDockerfile.toString(), "--env", "docker", "--duration", "1s", "--dataset", "0",
                "--no-history", "--out", home.resolve("reports2").toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("hello-app (docker): its image did not build").contains("check Dockerfile in").contains("the build step fails");
        assertThat(listing(badDockerfile)).as("the user's folder is left as it was").isEqualTo(before);
    }

    /** A folder with a tiny Python web app (page only) and its manifest; {@code command} runs it. */
    private Path ownApp(String... command) throws Exception {
        Path dir = Files.createTempDirectory(home, "hello-");
        Files.writeString(dir.resolve("app.py"), """
                import http.server, os
                class Hello(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = b"<h1>hello</h1>"
                        self.send_response(200)
                        self.send_header("Content-Type", "text/html")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    def log_message(self, *args):
                        pass
                http.server.ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"])), Hello).serve_forever()
                """);
        String cmd = String.join(", ", java.util.Arrays.stream(command).map(c -> "\"" + c.replace("\"", "\\\"") + "\"").toList());
        Files.writeString(dir.resolve(SubjectManifests.FILE), """
                name = "hello-app"
                version = "0.1"

                [listen]
                port_env = "PORT"
                host_env = "HOST"
                ready_path = "/"

                [local]
                command = [%s]

                [requests.page]
                path = "/"
                """.formatted(cmd));
        return dir;
    }

    private static long errors(JsonNode environment) {
        long n = 0;
        for (JsonNode count : environment.path("load").path("errorsByKind")) {
            n += count.asLong();
        }
        return n;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.map(p -> dir.relativize(p) + ":" + p.toFile().length()).sorted().toList();
        }
    }
}
