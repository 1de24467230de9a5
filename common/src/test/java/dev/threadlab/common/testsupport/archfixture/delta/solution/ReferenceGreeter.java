package dev.threadlab.common.testsupport.archfixture.delta.solution;

/** Fixture for CourseRulesTest: a module's reference solution. */
public final class ReferenceGreeter {
    /** @return a greeting */
    public String greet() {
        return "hello";
    }
}
