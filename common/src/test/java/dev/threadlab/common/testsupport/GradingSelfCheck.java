package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks the tests that prove an exercise's grading both ways (the reference passes, the untouched
 * stub fails with "not implemented yet", each wrong-solution fixture is rejected with its
 * message). They run in the default build and are excluded by {@code -Plearn}, where the
 * learner's stub is, by design, no longer untouched.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(GradingSelfCheck.TAG)
public @interface GradingSelfCheck {
    /** The tag, as excluded by the {@code learn} profile in the root POM. */
    String TAG = "grading-self-check";
}
