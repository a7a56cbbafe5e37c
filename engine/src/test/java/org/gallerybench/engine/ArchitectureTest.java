package org.gallerybench.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The house's rules, checked on the compiled classes at every build (issues 22 and 34): the engine's packages (setup,
 * load, run, report, history, cli) form no cycle and stand in layers, and the engine is headless by construction: no class of it touches JavaFX, and its
 * tests run with no JavaFX on the class path at all (the module does not depend on it; the window is the dashboard
 * module, on top).
 */
class ArchitectureTest {
    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.gallerybench.engine");
        assertThat(main.stream().map(c -> c.getPackageName()).distinct())
                .as("the rules below see every package of the engine")
                .contains("org.gallerybench.engine.run", "org.gallerybench.engine.history", "org.gallerybench.engine.report",
                        "org.gallerybench.engine.cli");
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("org.gallerybench.engine.(*)..").should().beFreeOfCycles().check(main);
    }

    /**
     * The rooms in their layers (issue 34): the user's setup (settings, paths, the environments' catalog) and the load
     * generator stand on their own; the run uses both; the reports read the run; the history keeps runs and reports;
     * the CLI is on top. The generator knows nothing of settings, runs or reports, so it can be measured and replaced
     * alone. BenchException, the one error type every layer throws, sits in the engine's root package.
     */
    @Test
    void theRoomsAreLayered() {
        com.tngtech.archunit.library.Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("setup").definedBy("org.gallerybench.engine.setup..")
                .layer("load").definedBy("org.gallerybench.engine.load..")
                .layer("run").definedBy("org.gallerybench.engine.run..")
                .layer("report").definedBy("org.gallerybench.engine.report..")
                .layer("history").definedBy("org.gallerybench.engine.history..")
                .layer("cli").definedBy("org.gallerybench.engine.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("history").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("history", "cli")
                .whereLayer("run").mayOnlyBeAccessedByLayers("report", "history", "cli")
                .whereLayer("load").mayOnlyBeAccessedByLayers("run", "report", "history", "cli")
                .whereLayer("setup").mayOnlyBeAccessedByLayers("run", "report", "history", "cli")
                .check(main);
    }

    @Test
    void theEngineDoesNotUseJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.gallerybench.dashboard..")
                .because("the engine and the CLI run headless: in CI, in scripts, over SSH")
                .check(main);
    }

    @Test
    void javaFxIsNotEvenOnTheEnginesClassPath() {
        assertThatThrownBy(() -> Class.forName("javafx.application.Platform")).isInstanceOf(ClassNotFoundException.class);
    }
}
