package dev.threadlab.multiprocessing;

import dev.threadlab.common.testsupport.CourseRules;
import org.junit.jupiter.api.Test;

/** Module 06 keeps the course's rules: it uses only itself and common, and never sleeps outside the Sleeper. */
class ArchitectureTest {

    @Test
    void theModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.multiprocessing");
    }
}
