package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a fixture that is more than one file: it calls a helper class of its own beside it (as a
 * learner's {@code Your…} class may call a helper in the exercise's package). {@code ./threadlab
 * check} grades the learner's one file, so the proof that the runner and the Maven grading agree
 * ({@code RunnerAgreement}), which grades each fixture as that one file, leaves such a fixture out;
 * the module's {@code *GradingTest} proves its verdict.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface UsesAHelperClassBeside {}
