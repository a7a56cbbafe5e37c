package org.gallerybench.engine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import org.gallerybench.engine.setup.Connection;
import org.gallerybench.engine.setup.EnvironmentCatalog;
import org.gallerybench.engine.setup.EnvironmentKind;
import org.gallerybench.environments.Environment;
import org.gallerybench.environments.EnvironmentStatus;
import org.gallerybench.environments.ServerArtifact;
import org.gallerybench.environments.StartTiming;
import org.gallerybench.environments.ContainerControl;
import org.gallerybench.environments.MachineControl;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import org.gallerybench.engine.run.UserMessages;
import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.Subjects;

@Command(name = "env", mixinStandardHelpOptions = true, description = "The environments: list, status, up, down.",
        subcommands = {EnvCommand.ListCommand.class, EnvCommand.StatusCommand.class, EnvCommand.UpCommand.class, EnvCommand.DownCommand.class,
                EnvCommand.ForgetHostCommand.class})
final class EnvCommand extends CliCommand {

    @Command(name = "list", description = "The environments and their endpoints.")
    static final class ListCommand extends CliCommand {
        @Override
        public Integer call() {
            PrintWriter out = out();
            GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
            var s = ctx.saved.environments();
            out.printf("%-8s %-18s %s%n", "ID", "NAME", "ENDPOINT");
            for (EnvironmentKind kind : EnvironmentKind.values()) {
                Connection c = s.connection(kind);
                String about = switch (c) {
                    case Connection.Local l -> "the baseline: a plain process on this machine";
                    case Connection.Docker d -> "docker-java; engine " + (d.engine().isBlank() ? "DOCKER_HOST or the local socket" : d.engine())
                            + "; network: " + d.network();
                    case Connection.Gvisor g -> "the same image under gVisor's runsc runtime; network: " + g.network();
                    case Connection.Vm v -> v.usesVagrant() ? "Vagrant in environments/vagrant, over SSH" : "SSH to " + v.sshUser() + "@" + v.sshHost();
                };
                out.printf("%-8s %-18s http://127.0.0.1:%d/   (%s)%n", kind.id(), ctx.catalog.displayName(kind.id()), c.port(), about);
            }
            out.flush();
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "status", description = "What each environment holds and does, read from what exists (whoever made it): absent,"
            + " ready to start, running another build, stopped, ready, failed, and what to do next. The dashboard's cards say the same.")
    static final class StatusCommand extends CliCommand {
        @Parameters(arity = "0..*", description = "Environments (default: all).")
        List<String> ids = List.of();

        @CommandLine.Option(names = "--subject", description = "The app under test (default: the one chosen in the dashboard, else the gallery).")
        String subject;

        @Override
        public Integer call() {
            PrintWriter out = out();
            GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
            String wanted = subject != null ? subject : ctx.saved.subject();
            Subject app = Subjects.find(ctx.paths.projectRoot(), wanted);
            EnvironmentCatalog catalog = ctx.catalog.forSubject(app);
            ServerArtifact build = null;
            String notBuilt = null;
            try {
                build = ServerArtifact.of(ctx.paths.serverJar());
            } catch (RuntimeException e) {
                notBuilt = UserMessages.describe(e);
            }
            out.println("App: " + app.name() + (app.builtin() && build != null ? " · build " + build.shortDigest() : ""));
            if (notBuilt != null && app.builtin()) {
                out.println(notBuilt);
            }
            for (String id : ids.isEmpty() ? EnvironmentCatalog.IDS : EnvironmentCatalog.parseIds(String.join(",", ids))) {
                EnvironmentStatus status;
                try (Environment env = catalog.create(id)) {
                    if (build != null) {
                        env.expect(build);
                    }
                    status = env.status();
                } catch (RuntimeException e) {
                    status = new EnvironmentStatus.Failed(UserMessages.describe(e));
                }
                // Two spaces at least between the label and the message, whatever the label: scripts split on them.
                out.printf(Locale.ROOT, "%-7s %-26s  %s%n", id, status.label(), status.message().replace("\n", "\n" + " ".repeat(36)));
                out.flush();
            }
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "up", description = "Deploys the built server and starts it (the VM is booted if needed). The local process lives as long as"
            + " this command: it waits for Ctrl-C.")
    static final class UpCommand extends CliCommand {
        @Parameters(arity = "1..*", description = "Environments.")
        List<String> ids;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = out();
            GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
            ServerArtifact artifact = ServerArtifact.of(ctx.paths.serverJar());
            boolean local = false;
            for (String id : EnvironmentCatalog.parseIds(String.join(",", ids))) {
                Environment env = ctx.catalog.create(id);
                out.println(id + ": deploying build " + artifact.shortDigest() + " ...");
                out.flush();
                if (env instanceof MachineControl machine && machine.managesMachine() && !machine.isMachineUp()) {
                    // The machine alone: the server in it may not be installed yet (a VM just created), and the deploy below
                    // installs it either way.
                    out.println(id + ": booting the VM (vagrant up; minutes under emulation) ...");
                    out.flush();
                    machine.bootMachine(line -> { });
                }
                env.deploy(artifact);
                StartTiming t = env.start();
                out.printf(Locale.ROOT, "%s: ready at %s (%s in %.0f ms)%n", id, env.endpoint(), t.kind(), t.totalMillis());
                out.flush();
                // The baseline is a child of this process: it serves as long as this command runs; the others outlive it.
                boolean ownProcess = EnvironmentKind.has(id, EnvironmentKind.Capability.BASELINE);
                local |= ownProcess;
                if (!ownProcess) {
                    env.close();
                }
            }
            if (local) {
                out.println("local: serving until you press Ctrl-C.");
                out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "down", description = "Stops the server: the local process, the container (removed), the VM's service (and the VM with --halt).")
    static final class DownCommand extends CliCommand {
        @Parameters(arity = "1..*", description = "Environments.")
        List<String> ids;

        @CommandLine.Option(names = "--halt", description = "Also halt the VM (vagrant halt).")
        boolean halt;

        @Override
        public Integer call() {
            PrintWriter out = out();
            GalleryBenchCli.Context ctx = new GalleryBenchCli.Context();
            for (String id : EnvironmentCatalog.parseIds(String.join(",", ids))) {
                try (Environment env = ctx.catalog.create(id)) {
                    env.stop();
                    if (env instanceof ContainerControl container) {
                        container.removeContainer();
                    }
                    if (halt && env instanceof MachineControl machine && machine.managesMachine() && machine.isMachineUp()) {
                        machine.haltMachine();
                    }
                    out.println(id + ": " + env.status().label());
                    out.flush();
                }
            }
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "forget-host", description = "Forgets the VM's recorded SSH host key (after the VM was recreated with new keys).")
    static final class ForgetHostCommand extends CliCommand {
        @Override
        public Integer call() {
            try (Environment env = new GalleryBenchCli.Context().catalog.create(EnvironmentKind.VM.id())) {
                if (!(env instanceof MachineControl machine)) {
                    throw new IllegalStateException("the VM environment has no machine to forget");
                }
                machine.forgetHostKey();
                out().println("vm: the recorded host key was removed; the next connection records the new one.");
            }
            return GalleryBenchCli.OK;
        }
    }
}
