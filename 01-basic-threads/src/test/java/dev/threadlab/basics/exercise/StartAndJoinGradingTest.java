package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.fixtures.NeverStarted;
import dev.threadlab.basics.exercise.fixtures.NoJoin;
import dev.threadlab.basics.exercise.fixtures.OneAfterTheOther;
import dev.threadlab.basics.exercise.fixtures.RunInsteadOfStart;
import dev.threadlab.basics.solution.ReferenceStartAndJoin;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import org.junit.jupiter.api.Test;

/** The spec grades both ways: it accepts the reference, and rejects the stub and each wrong solution with its reason. */
@GradingSelfCheck
class StartAndJoinGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(StartAndJoinSpec.class, ReferenceStartAndJoin.class);
    }

    @Test
    void theUntouchedStubFailsWithNotImplementedYet() {
        Grading.assertNotImplementedYet(StartAndJoinSpec.class);
    }

    @Test
    void threadsThatAreNeverStartedAreRejected() {
        Grading.assertRejects(StartAndJoinSpec.class, NeverStarted.class, "a thread runs its task only once start() is called");
    }

    @Test
    void callingRunInsteadOfStartIsRejected() {
        Grading.assertRejects(StartAndJoinSpec.class, RunInsteadOfStart.class, "run() executes the body right here, on the caller");
    }

    @Test
    void runningTheThreadsOneAfterTheOtherIsRejected() {
        Grading.assertRejects(StartAndJoinSpec.class, OneAfterTheOther.class, "start every thread before joining any");
    }

    @Test
    void reportingCompletionWithoutJoiningIsRejected() {
        Grading.assertRejects(StartAndJoinSpec.class, NoJoin.class, "was printed before the tasks could finish");
    }
}
