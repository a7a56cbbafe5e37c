package org.gallerybench.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.gallerybench.environments.subject.Subject;
import org.gallerybench.environments.subject.SubjectManifests;
import org.gallerybench.environments.subject.Subjects;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.util.Map;

/** {@code gallerybench subject list | check PATH}: the apps a comparison can measure, and whether a manifest is right. */
@Command(name = "subject", description = "The apps under test: list them, or check a subject's manifest (" + SubjectManifests.FILE + ").",
        subcommands = {SubjectCommand.ListCommand.class, SubjectCommand.CheckCommand.class})
final class SubjectCommand extends CliCommand {

    @Command(name = "list", description = "The subjects in this checkout's subjects/ folder.")
    static final class ListCommand extends CliCommand {
        @Override
        public Integer call() {
            PrintWriter out = out();
            Path root = new GalleryBenchCli.Context().paths.projectRoot();
            List<Subjects.Listed> listed = Subjects.list(root);
            out.printf("%-16s %-8s %-26s %s%n", "NAME", "VERSION", "RUNS IN", "ABOUT");
            for (Subjects.Listed l : listed) {
                if (l.subject() == null) {
                    out.printf("%-16s %-8s %-26s %s%n", l.dir().getFileName(), "-", "-", "manifest has a problem: gallerybench subject check "
                            + root.relativize(l.dir()));
                    continue;
                }
                Subject s = l.subject();
                out.printf("%-16s %-8s %-26s %s%s%n", s.name(), s.version().isEmpty() ? "-" : s.version(),
                        s.builtin() ? "local, docker, gvisor, vm" : String.join(", ", s.runsIn()), s.description(),
                        s.name().equals(Subjects.DEFAULT) ? " (the default)" : "");
            }
            out.println("A folder of your own with a " + SubjectManifests.FILE + " is a subject too: gallerybench subject check FOLDER.");
            out.flush();
            return GalleryBenchCli.OK;
        }
    }

    @Command(name = "check", description = "Reads a subject's manifest and says what is wrong with it, line by line, and what to write.")
    static final class CheckCommand extends CliCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The subject's folder (or its " + SubjectManifests.FILE + "), or a name in subjects/.")
        String path;

        @Override
        public Integer call() {
            Subject s = Subjects.find(new GalleryBenchCli.Context().paths.projectRoot(), path);
            PrintWriter out = out();
            out.println(s.name() + (s.version().isEmpty() ? "" : " " + s.version()) + ": the manifest is fine (build " + s.shortDigest() + ").");
            out.println("  listens:  port from $" + s.listen().portEnv() + (s.listen().hostEnv().isEmpty() ? "" : ", address from $" + s.listen().hostEnv())
                    + "; ready when " + s.listen().readyPath() + " answers 200");
            out.println("  runs in:  " + (s.builtin() ? "local, docker, gvisor, vm (the built-in gallery)" : String.join(", ", s.runsIn())));
            out.println("  requests: " + String.join(", ", s.requests().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " = " + e.getValue().method() + " " + e.getValue().path()).toList()));
            out.println("  store:    " + s.store().map(st -> (st.inside() ? st.folder() + " inside the app (the run works in a copy of its files)"
                            + (st.env().isEmpty() ? "" : ", named by $" + st.env()) : "$" + st.env())
                    + " (checked by " + (st.listing().equals("api") ? "GET /api/images" : "listing the folder") + ")")
                    .orElse("none: the run's dataset is not placed"));
            out.flush();
            return GalleryBenchCli.OK;
        }
    }
}
