package dev.threadlab.daemon;

import dev.threadlab.common.testsupport.CourseRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void thisModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.daemon");
    }
}
