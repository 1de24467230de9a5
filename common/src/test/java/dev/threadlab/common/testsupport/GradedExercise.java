package dev.threadlab.common.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class as the grading specification of one exercise. Its tests receive the
 * implementation to grade as a {@link Solution @Solution} parameter, and the same tests grade:
 *
 * <ul>
 *   <li>the {@link #reference() reference solution} in the default build ({@code ./mvnw verify});</li>
 *   <li>the {@link #learner() learner's class} with {@code -Plearn};</li>
 *   <li>any other implementation (a wrong-solution fixture) when {@link Grading} runs the spec
 *       against it.</li>
 * </ul>
 *
 * <p>Which one is chosen by the JUnit configuration parameter or system property
 * {@value Grading#GRADE_PROPERTY}: {@code reference}, {@code learner}, or a class name.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("graded")
@ExtendWith(SolutionResolver.class)
public @interface GradedExercise {

    /** @return a short title for the grading report, e.g. "01 start and join two threads" */
    String value();

    /** @return the class the learner edits (its methods throw NotImplementedYet until written) */
    Class<?> learner();

    /** @return the reference solution, kept in the module's {@code solution} package */
    Class<?> reference();
}
