package org.gallerybench.environments.subject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.gallerybench.environments.ChildServer;
import org.gallerybench.environments.Dataset;
import org.gallerybench.environments.EnvironmentException;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ProcessSampler;
import org.gallerybench.environments.ReadinessProbe;
import org.gallerybench.environments.SampleStream;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.ServerEnvironment;
import org.gallerybench.environments.StoreControl;
import org.gallerybench.environments.StoreListing;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A subject of the user's own as a process on this machine ({@code [local]} in its manifest): its command, run in its
 * folder, told its port and address by the variables the manifest names, its store a folder of this tool's own (never
 * one in the user's folder). On the shared lifecycle template, like every environment. Nothing is written in the
 * subject's folder: Python is told not to write bytecode there, and the log and store live under the data folder.
 */
public final class SubjectProcessEnvironment extends ServerEnvironment implements StoreListing {
    private final Subject subject;
    private final Subject.Local local;
    private final String host;
    private final int port;
    private final Path work;
    private final Duration startDeadline;
    private final ChildServer server;
    private boolean deployed;

    /**
     * @param dataHome      the tool's data folder: the subject's log and store go under subjects/NAME/local there
     * @param startDeadline how long its first 200 may take
     */
    public SubjectProcessEnvironment(Subject subject, String host, int port, Path dataHome, Duration startDeadline) {
        this.subject = subject;
        this.local = subject.local().orElseThrow(() -> new SubjectException(subject.name() + " has no [local] section in "
                + subject.dir().resolve(SubjectManifests.FILE) + ": add one with command = [\"...\"] to measure it as a local process."));
        this.host = host;
        this.port = port;
        this.work = dataHome.resolve("subjects").resolve(subject.name()).resolve("local");
        this.startDeadline = startDeadline;
        this.server = new ChildServer(work.resolve("app.log"), Duration.ofSeconds(10), "gallerybench-subject");
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String displayName() {
        return "Local process";
    }

    @Override
    public String networkPath() {
        return "loopback, no boundary";
    }

    @Override
    public URI endpoint() {
        return URI.create("http://" + host + ":" + port + "/");
    }

    public Subject subject() {
        return subject;
    }

    /**
     * Where the subject keeps its images here: a folder of this tool's, given to the app by its [store] variable; or,
     * for an app that keeps them inside its own files, that folder in the copy it runs from ({@link #appDir()}).
     */
    public Path storeDir() {
        return subject.store().filter(Subject.Store::inside).map(s -> appDir().resolve(s.folder())).orElse(work.resolve("store"));
    }

    /**
     * Where it runs: its own folder, which is never written; or, when it keeps its images inside its files, a copy of
     * them under the data folder (made at deploy, made again when its files change).
     */
    public Path appDir() {
        return subject.store().filter(Subject.Store::inside).isPresent() ? work.resolve("app") : subject.dir();
    }

    public Path logFile() {
        return server.log();
    }

    /** Nothing to build: checks that the command can run here, and makes the log and store folders. */
    @Override
    public synchronized void deploy(ServerArtifact ignored) {
        String program = local.command().getFirst();
        if (!program.contains("/") ? onPath(program) : Files.isExecutable(subject.dir().resolve(program))) {
            try {
                if (!appDir().equals(subject.dir())) {
                    AppCopy.sync(subject, appDir());
                }
                Files.createDirectories(storeDir());
            } catch (IOException e) {
                throw new SubjectException("Cannot make " + storeDir() + " (" + e.getMessage() + "): check that the data folder is writable.", e);
            }
            deployed = true;
            return;
        }
        throw new SubjectException(subject.name() + " (local): its command '" + program + "' is not " + (program.contains("/")
                ? "an executable file in " + subject.dir() : "installed here (not on PATH)") + ". Install it (e.g. apt-get install " + program
                + "), or change command under [local] in " + subject.dir().resolve(SubjectManifests.FILE) + ".");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    @Override
    protected void prepare() {
        if (!deployed) {
            throw new SubjectException(subject.name() + " (local) is not deployed yet: deploy it first.");
        }
    }

    @Override
    protected synchronized void issueStart() {
        requirePortFree(host, port, subject.name() + " in the local environment");
        List<String> command = Subject.command(local.command(), host, port, appDir().toString());
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(appDir().toFile());
            Map<String, String> env = builder.environment();
            env.putAll(subject.listenEnv(host, port));
            subject.store().filter(s -> !s.env().isEmpty()).ifPresent(s -> env.put(s.env(), storeDir().toString()));
            env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the user's folder
            env.putAll(local.env());
            server.start(builder);
        } catch (IOException e) {
            throw new SubjectException(subject.name() + " (local): cannot start '" + String.join(" ", command) + "' (" + e.getMessage()
                    + "). Check command under [local] in " + subject.dir().resolve(SubjectManifests.FILE) + ".", e);
        }
    }

    @Override
    protected void issueStop() {
        server.stop();
    }

    @Override
    protected boolean alive() {
        return server.alive();
    }

    @Override
    protected String ended() {
        return subject.name() + " (local) exited with code " + server.exitCode();
    }

    @Override
    protected List<String> logTail(int lines) {
        return server.logTail(lines);
    }

    @Override
    protected String logName() {
        return "Last lines of " + logFile();
    }

    @Override
    protected String stuckHint() {
        return "Does " + subject.name() + " listen on the port in $" + subject.listen().portEnv() + (subject.listen().hostEnv().isEmpty() ? ""
                : " and the address in $" + subject.listen().hostEnv()) + ", and answer " + subject.listen().readyPath() + " with 200?";
    }

    @Override
    protected void stuck() {
        server.stopQuietly();
    }

    @Override
    protected ReadinessProbe probe() {
        return ReadinessProbe.forHttp(endpoint()).path(subject.listen().readyPath()).deadline(startDeadline).whileAlive(this::alive);
    }

    @Override
    protected String runStoreReset(Path script, Dataset dataset) {
        return StoreControl.runHere(script, storeDir(), dataset, subject.name() + "'s store");
    }

    @Override
    public List<String> storedNames() {
        try (Stream<Path> files = Files.list(storeDir())) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Read from what exists: this process's server, else whatever answers at the endpoint, else whether its command can run here. */
    @Override
    public synchronized EnvironmentStatus status() {
        if (server.started() && server.alive()) {
            long pid = server.pid().orElse(-1);
            return serving(endpoint().resolve(subject.listen().readyPath()), Duration.ofSeconds(1),
                    "Serving " + subject.name() + " at " + endpoint() + " (pid " + pid + ").", "Running (pid " + pid + "), not answering yet.");
        }
        OptionalInt code = server.started() ? server.crashed() : OptionalInt.empty();
        if (code.isPresent()) {
            return new EnvironmentStatus.Failed(subject.name() + " exited with code " + code.getAsInt() + ": "
                    + server.logTail(1).stream().findFirst().orElse("see " + logFile()) + " Start tries again.");
        }
        Optional<EnvironmentStatus> taken = portTaken(host, port, endpoint());
        if (taken.isPresent()) {
            return taken.get();
        }
        String program = local.command().getFirst();
        if (!program.contains("/") ? onPath(program) : Files.isExecutable(subject.dir().resolve(program))) {
            return new EnvironmentStatus.Deployed(subject.name() + " can run here: its command '" + program + "' is installed; Start runs it.");
        }
        return new EnvironmentStatus.Absent(subject.name() + " (local): its command '" + program + "' is not installed here: install it,"
                + " or change command under [local] in " + subject.dir().resolve(SubjectManifests.FILE) + ".");
    }

    /** CPU and memory of the app's whole process tree (an app server's master and its workers). */
    @Override
    public SampleStream openSampler(Duration interval) {
        long pid = server.pid().orElseThrow(() -> new EnvironmentException(subject.name() + " is not running: start it before sampling."));
        return ProcessSampler.openTree(pid, interval);
    }

    @Override
    public void close() {
        server.close();
    }
}
