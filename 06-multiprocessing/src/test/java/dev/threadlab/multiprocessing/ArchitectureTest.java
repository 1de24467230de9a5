package dev.threadlab.multiprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.threadlab.common.testsupport.CourseRules;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import org.junit.jupiter.api.Test;

/** Module 06 keeps the course's rules: it never sleeps outside the Sleeper, and only its choice point names the solution. */
class ArchitectureTest {

    @Test
    void theModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.multiprocessing");
    }

    @Test
    void mainCodeReachesTheReferencePoolMapOnlyThroughPoolMapChoice() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.threadlab.multiprocessing");
        assertThat(main.contain(ProcessPool.class)
                        && main.contain(PoolMapChoice.class)
                        && main.contain(ReferencePoolMap.class))
                .as("the rule sees the engine, the choice point and the solution (else it would pass on nothing)")
                .isTrue();
        assertThat(main.contain(ArchitectureTest.class))
                .as("test classes are left out")
                .isFalse();

        CourseRules.main_code_reaches_solutions_only_through_the_choice_point.check(main);
    }
}
