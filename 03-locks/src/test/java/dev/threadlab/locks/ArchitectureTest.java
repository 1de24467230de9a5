package dev.threadlab.locks;

import dev.threadlab.common.testsupport.CourseRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void thisModuleFollowsTheCourseRules() {
        CourseRules.assertModuleFollowsTheRules("dev.threadlab.locks");
    }
}
