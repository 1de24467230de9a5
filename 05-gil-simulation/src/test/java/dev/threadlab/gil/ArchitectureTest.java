package dev.threadlab.gil;

import dev.threadlab.common.testsupport.CourseRules;
import org.junit.jupiter.api.Test;

/** The course's rules hold in this module: it uses only common, and pauses only through Sleeper. */
class ArchitectureTest {

    @Test
    void theModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.gil");
    }
}
