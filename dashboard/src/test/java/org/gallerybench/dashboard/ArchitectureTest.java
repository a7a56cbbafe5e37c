package org.gallerybench.dashboard;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house's rules, checked on the compiled classes (issue 22): the dashboard's packages form no cycle (bench,
 * report, history, cli, ui), and only the window's package touches JavaFX, so the engine stays headless.
 */
class ArchitectureTest {
    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.gallerybench.dashboard");
        assertThat(main.stream().map(c -> c.getPackageName()).distinct())
                .as("the rules below see the engine's and the window's packages")
                .contains("org.gallerybench.dashboard.bench", "org.gallerybench.dashboard.history",
                        "org.gallerybench.dashboard.report", "org.gallerybench.dashboard.ui");
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("org.gallerybench.dashboard.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void onlyTheWindowUsesJavaFx() {
        noClasses().that().resideInAnyPackage("org.gallerybench.dashboard.bench..", "org.gallerybench.dashboard.report..",
                        "org.gallerybench.dashboard.history..", "org.gallerybench.dashboard.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .because("the engine and the CLI run headless: in CI, in scripts, over SSH")
                .check(main);
    }
}
