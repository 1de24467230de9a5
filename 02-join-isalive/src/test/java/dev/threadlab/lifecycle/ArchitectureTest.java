package dev.threadlab.lifecycle;

import dev.threadlab.common.testsupport.CourseRules;
import org.junit.jupiter.api.Test;

/** The course's architecture rules hold in this module: no sleeps, no other module's classes. */
class ArchitectureTest {

    @Test
    void thisModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.lifecycle");
    }
}
