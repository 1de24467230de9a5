package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a wrong-solution fixture that breaks a course rule on purpose (it calls {@code Thread.sleep}),
 * to prove that the grading tells a learner's class so ({@link CourseRules#brokenBySolution}). The
 * module's architecture check ({@link CourseRules#assertModuleFollowsTheRules}) leaves such a
 * fixture, and its nested classes, to the grading.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface BreaksACourseRuleOnPurpose {

    /** @return the mistake it shows, e.g. "sleeps for the timeout instead of joining" */
    String value();
}
