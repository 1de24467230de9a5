package dev.threadlab.common.testsupport.archfixture.delta;

import dev.threadlab.common.testsupport.archfixture.delta.solution.ReferenceGreeter;

/** Fixture for CourseRulesTest: a demo that runs the reference whatever the learner asks for. */
public final class DemoHardCodesTheReference {
    /** @return the reference's greeting */
    public static String run() {
        return new ReferenceGreeter().greet();
    }
}
