package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test-method parameter that receives a fresh instance of the implementation being
 * graded (see {@link GradedExercise}). The parameter's type is the exercise's interface.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Solution {}
