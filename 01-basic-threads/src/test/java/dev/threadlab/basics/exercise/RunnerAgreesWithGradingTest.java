package dev.threadlab.basics.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.basics.exercise.fixtures.NoJoin;
import dev.threadlab.basics.solution.ReferenceStartAndJoin;
import dev.threadlab.common.runner.RunnerAgreement;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import org.junit.jupiter.api.Test;

/**
 * {@code ./threadlab check 01} and {@code ./mvnw verify} agree: a learner whose
 * {@code YourStartAndJoin} is one of these gets from the runner (compiled by the JDK compiler,
 * graded in a JVM of its own) the verdict the course's grading gives that class. A sample, to keep
 * the build quick (each costs a compilation and a grading JVM, about 8 s each on a 2-core machine
 * loaded by other builds): the reference (passed) and a wrong solution (failing, 3 of 4 rules).
 */
@GradingSelfCheck
class RunnerAgreesWithGradingTest {

    @Test
    void theRunnerGivesTheGradingsVerdicts() {
        assertThat(RunnerAgreement.assertAgrees(StartAndJoinSpec.class, ReferenceStartAndJoin.class, NoJoin.class))
                .hasSize(2);
    }
}
