package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.lifecycle.exercise.fixtures.CatchesExceptionsButNotErrors;
import dev.threadlab.lifecycle.exercise.fixtures.GivesUpOnTheLateWorkersAfterThreeTries;
import dev.threadlab.lifecycle.exercise.fixtures.GivesUpWithoutJoiningTheWorkers;
import dev.threadlab.lifecycle.exercise.fixtures.HangsForever;
import dev.threadlab.lifecycle.exercise.fixtures.IgnoresTheGivenTicker;
import dev.threadlab.lifecycle.exercise.fixtures.JoinsForZeroMillisWhenTimeIsUp;
import dev.threadlab.lifecycle.exercise.fixtures.JoinsTheCancelledForAFewMillis;
import dev.threadlab.lifecycle.exercise.fixtures.JoinsTheLateWorkersForAMinute;
import dev.threadlab.lifecycle.exercise.fixtures.LeavesCancelledWorkersOutOfTheAccount;
import dev.threadlab.lifecycle.exercise.fixtures.ReadsTheDeadlineAfterStartingTheWorkers;
import dev.threadlab.lifecycle.exercise.fixtures.ReportsLateWorkersByWhatTheyDidAfterTheInterrupt;
import dev.threadlab.lifecycle.exercise.fixtures.ReturnsWithoutJoiningTheCancelled;
import dev.threadlab.lifecycle.exercise.fixtures.StartsAndJoinsOneWorkerAtATime;
import dev.threadlab.lifecycle.exercise.fixtures.SwallowsTheCallersInterrupt;
import dev.threadlab.lifecycle.exercise.fixtures.SwallowsWorkerExceptions;
import dev.threadlab.lifecycle.exercise.fixtures.WaitsTheFullTimeoutForEachWorker;
import dev.threadlab.lifecycle.exercise.fixtures.WrapsTheWorkersError;
import dev.threadlab.lifecycle.exercise.fixtures.correct.JoinsTheCancelledInAPollLoop;
import dev.threadlab.lifecycle.exercise.fixtures.correct.WithPlainThreadsAndArrays;
import dev.threadlab.lifecycle.exercise.fixtures.helper.JoinsTheLateWorkersThroughAHelper;
import dev.threadlab.lifecycle.solution.ReferenceSupervisor;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

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
    void aPlainSolutionWithThreadsAndArraysPasses() {
        Grading.assertPasses(SupervisorSpec.class, WithPlainThreadsAndArrays.class);
    }

    @Test
    void joiningTheCancelledInALoopOfShortJoinsPasses() {
        Grading.assertPasses(SupervisorSpec.class, JoinsTheCancelledInAPollLoop.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SupervisorSpec.class);
    }

    @Test
    void aFreshTimeoutPerWorkerIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "oneDeadlineIsSharedByAllWorkersNotRestartedForEach",
                WaitsTheFullTimeoutForEachWorker.class,
                "although the shared deadline had passed");
    }

    /** A learner's solution that passed every run: the first ticker read is counted against the workers started. */
    @Test
    void readingTheDeadlineAfterStartingTheWorkersIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "oneDeadlineIsSharedByAllWorkersNotRestartedForEach",
                ReadsTheDeadlineAfterStartingTheWorkers.class,
                "supervise() first read the ticker after starting 3 of the 3 workers: a deadline read then starts"
                        + " late, and the time the workers ran before that read is not counted. Read the ticker and fix"
                        + " the deadline (ticker.nanoTime() + timeout) before starting any worker, then start them all");
    }

    @Test
    void joinOfZeroMillisIsRejectedAsAWaitForever() {
        Grading.assertRejects(
                SupervisorSpec.class, JoinsForZeroMillisWhenTimeIsUp.class, "join(0) and join() wait forever");
    }

    @Test
    void stragglersLeftRunningAreRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "noWorkerIsStillAliveWhenSuperviseReturns",
                ReturnsWithoutJoiningTheCancelled.class,
                "still alive when supervise() returned");
    }

    @Test
    void aSwallowedExceptionIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "anExceptionThrownInAWorkerIsReportedAsFailedNotSwallowed",
                SwallowsWorkerExceptions.class,
                "but the account had Finished[worker=worker-2, result=null]: a task that throws is Failed, with what it threw");
    }

    @Test
    void aLostWorkerIsRejected() {
        Grading.assertRejects(
                SupervisorSpec.class, LeavesCancelledWorkersOutOfTheAccount.class, "every worker appears exactly once");
    }

    @Test
    void startingAndJoiningOneWorkerAtATimeIsRejected() {
        Grading.assertRejects(
                SupervisorSpec.class,
                StartsAndJoinsOneWorkerAtATime.class,
                "start every worker before waiting for any");
    }

    /**
     * A join on a worker that spends clock time ends when that worker does: the worker itself sees
     * the join, so the verdict does not depend on whether the watch looked in time (it did in a fresh
     * JVM and not in a warm one, and ./threadlab check and ./mvnw verify disagreed on three rules).
     */
    @Test
    void startingAndJoiningOneWorkerAtATimeIsSeenByAWorkerThatSpendsTime() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "oneDeadlineIsSharedByAllWorkersNotRestartedForEach",
                StartsAndJoinsOneWorkerAtATime.class,
                "supervise() was waiting in join for worker-1 while only 1 of the 3 worker threads had been started");
    }

    @Test
    void aLateWorkerReportedByWhatItThrewAfterTheInterruptIsRejected() {
        Grading.assertRejects(
                SupervisorSpec.class,
                ReportsLateWorkersByWhatTheyDidAfterTheInterrupt.class,
                "was still running at the deadline, so it is Cancelled, not Failed with what it threw after your interrupt");
    }

    @Test
    void catchingExceptionButNotErrorIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "anErrorThrownInAWorkerIsReportedAsFailedToo",
                CatchesExceptionsButNotErrors.class,
                "the error escaped the worker thread to its uncaught-exception handler (it never reaches join()): catch Throwable, not only Exception, in the worker");
    }

    @Test
    void ignoringTheGivenTickerIsRejected() {
        Grading.assertRejects(
                SupervisorSpec.class, IgnoresTheGivenTicker.class, "Read the deadline from the ticker you were given");
    }

    @Test
    void joiningTheCancelledWithAShortTimeoutIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "noWorkerIsStillAliveWhenSuperviseReturns",
                JoinsTheCancelledForAFewMillis.class,
                "[worker-2] still alive when supervise() returned (interrupted,"
                        + " but still cleaning up, and its cleanup ends only once you wait for it): after interrupting"
                        + " the late workers, join each of them, with join() and no timeout");
    }

    /**
     * After the interrupt, a join with a long timeout is the same mistake as a short one: the grading
     * makes a timed join on a held cleaner run out at once (TimedJoins), so the verdict and message
     * are the same every run, whatever the timeout; the timed joins before the deadline stay right.
     */
    @Test
    void joiningTheLateWorkersForAMinuteIsRejectedAtOnce() {
        assertLateWorkerLeftAliveAtOnce(JoinsTheLateWorkersForAMinute.class);
    }

    /**
     * A timed join made in a public helper class beside the solution ({@code Joins.joinAll(late,
     * 60 s)}) is routed like one in the solution's own class: the grading loads every class beside
     * the solution again with its timed waits routed, so the verdict and message are those of
     * {@link JoinsTheLateWorkersForAMinute}, at once, not a hang after {@code Crew.PATIENCE}.
     */
    @Test
    void joiningTheLateWorkersForAMinuteInAHelperClassIsRejectedAtOnce() {
        assertLateWorkerLeftAliveAtOnce(JoinsTheLateWorkersThroughAHelper.class);
    }

    /** Rejected for leaving a late worker alive, at once: its timed joins ran out at once, not after their timeout. */
    private static void assertLateWorkerLeftAliveAtOnce(Class<? extends Supervisor> fixture) {
        long start = System.nanoTime();
        Grading.Report report = Grading.assertRejectedBy(
                SupervisorSpec.class,
                "noWorkerIsStillAliveWhenSuperviseReturns",
                fixture,
                "[worker-2] still alive when supervise() returned (interrupted,"
                        + " but still cleaning up, and its cleanup ends only once you wait for it): after interrupting"
                        + " the late workers, join each of them, with join() and no timeout");
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (report.outcomes().get(0).hung() || millis >= Crew.PATIENCE.toMillis()) {
            throw new AssertionError(
                    "a timed join runs out at once, not after its timeout: " + millis + " ms, " + report);
        }
    }

    /** After the interrupt, a loop of timed joins that gives up after three tries is a give-up (a count, not a time). */
    @Test
    void aJoinLoopThatGivesUpOnTheLateWorkersAfterThreeTriesIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "noWorkerIsStillAliveWhenSuperviseReturns",
                GivesUpOnTheLateWorkersAfterThreeTries.class,
                "[worker-2] still alive when supervise() returned (interrupted,"
                        + " but still cleaning up, and its cleanup ends only once you wait for it): after interrupting"
                        + " the late workers, join each of them, with join() and no timeout");
    }

    @Test
    void swallowingTheCallersInterruptIsRejectedAtOnce() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "interruptingTheCallerCancelsEveryWorkerAndRethrows",
                SwallowsTheCallersInterrupt.class,
                "the caller was interrupted while supervise() waited, but"
                        + " supervise() went back to waiting for worker-1 (in join) without interrupting it");
    }

    @Test
    void givingUpWithoutJoiningTheWorkersIsRejected() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "interruptingTheCallerCancelsEveryWorkerAndRethrows",
                GivesUpWithoutJoiningTheWorkers.class,
                "[worker-1, worker-2] still alive when supervise() threw");
    }

    @Test
    void wrappingTheWorkersErrorIsRejectedWithoutBeingToldToCatchThrowable() {
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "anErrorThrownInAWorkerIsReportedAsFailedToo",
                WrapsTheWorkersError.class,
                "not the very error the task threw: keep the Throwable you caught as it"
                        + " is (don't wrap it or take its cause)");
        Grading.assertRejectedBy(
                SupervisorSpec.class,
                "anExceptionThrownInAWorkerIsReportedAsFailedNotSwallowed",
                WrapsTheWorkersError.class,
                "not the very exception the task threw");
    }

    /**
     * The worst case for the time to a verdict: a solution that hangs in every rule. Slow by nature
     * (one hang, bounded by Crew.PATIENCE, plus the leak check's grace), so it runs only on demand:
     * {@code ./mvnw -q -pl 02-join-isalive -am verify -Dtest=SupervisorGradingTest#aSolutionThatHangsEverywhere*
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SupervisorSpec.class,
                HangsForever.class,
                "hang: supervise()",
                HangsForever::stopHanging);
    }
}
