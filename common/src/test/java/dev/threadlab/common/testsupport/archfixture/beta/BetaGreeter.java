package dev.threadlab.common.testsupport.archfixture.beta;

/** Fixture for CourseRulesTest: a class of one pretend module. */
public final class BetaGreeter {
    /** @return a greeting */
    public static String greet() {
        return "hello from beta";
    }
}
