package dev.threadlab.common.testsupport.archfixture.delta;

import dev.threadlab.common.testsupport.archfixture.delta.solution.ReferenceGreeter;

/** Fixture for CourseRulesTest: the module's one choice point may name the reference. */
public final class GreeterChoice {
    /** @return the reference, as {@code --solution reference} would choose */
    public static Object reference() {
        return new ReferenceGreeter();
    }
}
