package dev.threadlab.gil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.threadlab.common.testsupport.CourseRules;
import dev.threadlab.gil.cli.HandOffChoice;
import org.junit.jupiter.api.Test;

/** The course's rules hold in this module: it uses only common, pauses only through Sleeper, and names the solution in one place. */
class ArchitectureTest {

    @Test
    void theModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.gil");
    }

    /**
     * Only {@link HandOffChoice} names the {@code solution} package, so every demo and the benchmark
     * can run the learner's hand-off ({@code --solution yours}). Test classes (the spec, fixtures
     * built on the reference) are not main code and are left out.
     */
    @Test
    void mainCodeReachesTheReferenceHandOffOnlyThroughHandOffChoice() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.threadlab.gil");
        // The rule sees the module: the choice point and the solution it may name are both imported,
        // and the choice point really does depend on the solution (else the rule would prove nothing).
        assertThat(main.contain(HandOffChoice.class))
                .as("HandOffChoice imported")
                .isTrue();
        assertThat(main.get(HandOffChoice.class).getDirectDependenciesFromSelf())
                .extracting(d -> d.getTargetClass().getPackageName())
                .as("HandOffChoice depends on the solution package")
                .anyMatch(p -> p.endsWith(".solution"));

        CourseRules.main_code_reaches_solutions_only_through_the_choice_point.check(main);
    }

    /** The same rule, on a class of this module that does name the reference (a test fixture): it fails. */
    @Test
    void theChoicePointRuleFailsOnAClassOfThisModuleThatNamesTheReference() {
        JavaClasses fixture = new ClassFileImporter()
                .importClasses(classNamed("dev.threadlab.gil.exercise.fixtures.handoff.PartlyReference"));
        assertThatThrownBy(() -> CourseRules.main_code_reaches_solutions_only_through_the_choice_point.check(fixture))
                .hasMessageContaining("PartlyReference")
                .hasMessageContaining("ReferenceHandOff");
    }

    private static Class<?> classNamed(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("fixture " + name + " is missing", e);
        }
    }
}
