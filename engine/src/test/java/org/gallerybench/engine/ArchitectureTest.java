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
 * The house's rules, checked on the compiled classes at every build (issue 22): the engine's packages (bench, report,
 * history, cli) form no cycle, and the engine is headless by construction: no class of it touches JavaFX, and its
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
                .contains("org.gallerybench.engine.bench", "org.gallerybench.engine.history", "org.gallerybench.engine.report",
                        "org.gallerybench.engine.cli");
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching("org.gallerybench.engine.(*)..").should().beFreeOfCycles().check(main);
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
