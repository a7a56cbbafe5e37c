package org.gallerybench.engine.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.gallerybench.engine.run.RunResult;
import org.gallerybench.engine.report.Reports;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, description = "Writes the reports of a past run.")
final class ReportCommand extends CliCommand {
    @Parameters(index = "0", description = "Run id (see: gallerybench history list).")
    String id;

    @Option(names = "--format", split = ",", description = "html, json, csv, md, png (default html).")
    List<String> formats = List.of("html");

    @Option(names = "--out", description = "Folder (default results/RUN-ID).")
    Path out;

    @Option(names = "--width", defaultValue = "1200", description = "PNG width in pixels (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "600", description = "PNG height in pixels (default ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() throws Exception {
        RunResult run = new GalleryBenchCli.Context().history().require(id);
        EnumSet<Reports.Format> wanted = EnumSet.copyOf(formats.stream().map(Reports.Format::parse).toList());
        Path folder = out != null ? out : Path.of("results", run.id());
        for (Path p : Reports.write(run, folder, wanted, width, height)) {
            out().println(p);
        }
        out().flush();
        return GalleryBenchCli.OK;
    }
}
