package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.lifecycle.exercise.fixtures.CatchesExceptionsButNotErrors;
import dev.threadlab.lifecycle.exercise.fixtures.IgnoresTheGivenTicker;
import dev.threadlab.lifecycle.exercise.fixtures.JoinsForZeroMillisWhenTimeIsUp;
import dev.threadlab.lifecycle.exercise.fixtures.LeavesCancelledWorkersOutOfTheAccount;
import dev.threadlab.lifecycle.exercise.fixtures.ReportsLateWorkersByWhatTheyDidAfterTheInterrupt;
import dev.threadlab.lifecycle.exercise.fixtures.ReturnsWithoutJoiningTheCancelled;
import dev.threadlab.lifecycle.exercise.fixtures.StartsAndJoinsOneWorkerAtATime;
import dev.threadlab.lifecycle.exercise.fixtures.SwallowsWorkerExceptions;
import dev.threadlab.lifecycle.exercise.fixtures.WaitsTheFullTimeoutForEachWorker;
import dev.threadlab.lifecycle.solution.ReferenceSupervisor;
import org.junit.jupiter.api.Test;

/**
 * Proof that {@link SupervisorSpec} grades both ways: it accepts the reference, fails the untouched
 * stub with "not implemented yet" on every rule, and rejects each plausible wrong solution with the
 * message that names its mistake.
 */
@GradingSelfCheck
class SupervisorGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SupervisorSpec.class, ReferenceSupervisor.class);
    }

    @Test
    void theUntouchedStubFailsEveryRuleWithNotImplementedYet() {
        Grading.assertNotImplementedYet(SupervisorSpec.class);
    }

    @Test
    void aFreshTimeoutPerWorkerIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, WaitsTheFullTimeoutForEachWorker.class,
                "although the shared deadline had passed");
    }

    @Test
    void joinOfZeroMillisIsRejectedAsAWaitForever() {
        Grading.assertRejects(SupervisorSpec.class, JoinsForZeroMillisWhenTimeIsUp.class,
                "join(0) and join() wait forever");
    }

    @Test
    void stragglersLeftRunningAreRejected() {
        Grading.assertRejects(SupervisorSpec.class, ReturnsWithoutJoiningTheCancelled.class,
                "still alive when supervise() returned");
    }

    @Test
    void aSwallowedExceptionIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, SwallowsWorkerExceptions.class,
                "an exception in a thread never reaches join()");
    }

    @Test
    void aLostWorkerIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, LeavesCancelledWorkersOutOfTheAccount.class,
                "every worker appears exactly once");
    }

    @Test
    void startingAndJoiningOneWorkerAtATimeIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, StartsAndJoinsOneWorkerAtATime.class,
                "start every worker before waiting for any");
    }

    @Test
    void aLateWorkerReportedByWhatItThrewAfterTheInterruptIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, ReportsLateWorkersByWhatTheyDidAfterTheInterrupt.class,
                "was still running at the deadline, so it is Cancelled, not Failed with what it threw after your interrupt");
    }

    @Test
    void catchingExceptionButNotErrorIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, CatchesExceptionsButNotErrors.class,
                "catch Throwable in the worker");
    }

    @Test
    void ignoringTheGivenTickerIsRejected() {
        Grading.assertRejects(SupervisorSpec.class, IgnoresTheGivenTicker.class,
                "Read the deadline from the ticker you were given");
    }
}
