package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a wrong-solution fixture that hangs in every rule on purpose: the worst case the module's
 * on-demand hang check measures ({@code -Dthreadlab.hangcheck=true}, {@link
 * Grading#assertHangVerdictWithin}). The proof that {@code ./threadlab check} and the Maven grading
 * agree on every fixture (the runner's {@code RunnerAgreement}, {@code -Dthreadlab.agreement=true})
 * leaves such a fixture out: graded both ways it would cost that minute twice, and its threads end
 * only when the hang check releases them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface HangsEverywhereOnPurpose {}
