package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingReport;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.AsksIsAliveWithoutWaiting;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.BusyWaitsOnIsAlive;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.CorrectPythonStyle;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.CorrectWithTimeUnitTimedJoin;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.JoinsForTheTimeoutInMillis;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.JoinsWithNoTimeout;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.LooksAtZeroButJoinsWholeMillis;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.ReturnsWhatJoinReturned;
import dev.threadlab.lifecycle.exercise.fixtures.timedjoin.SleepsInsteadOfJoining;
import dev.threadlab.lifecycle.solution.ReferenceTimedJoin;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that {@link TimedJoinSpec} grades both ways: it accepts the reference and correct solutions
 * in other idioms, finds the untouched stub not implemented, and rejects each plausible mistake with
 * the message that names it.
 */
@GradingSelfCheck
class TimedJoinGradingTest {

    private static final String NO_TIME_LIMIT =
            "waited in join with no time limit (WAITING): join() and join(0)" + " wait until the worker ends";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(TimedJoinSpec.class, ReferenceTimedJoin.class);
    }

    @Test
    void thePythonStyleJoinThenIsAlivePasses() {
        Grading.assertPasses(TimedJoinSpec.class, CorrectPythonStyle.class);
    }

    @Test
    void timeUnitTimedJoinPasses() {
        Grading.assertPasses(TimedJoinSpec.class, CorrectWithTimeUnitTimedJoin.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(TimedJoinSpec.class);
    }

    @Test
    void answeringWithoutWaitingIsRejected() {
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aWorkerThatEndsWithinTheTimeoutIsReportedFinished",
                AsksIsAliveWithoutWaiting.class,
                "answered true (still alive), and the worker was indeed still alive,"
                        + " but this worker ends as soon as it is waited for in join: you did not wait for it in"
                        + " join, or waited less than the timeout you were given");
    }

    @Test
    void returningWhatJoinReturnedIsRejectedBothWays() {
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aWorkerStillRunningWhenTheTimeoutRunsOutIsReportedAlive",
                ReturnsWhatJoinReturned.class,
                "answered false (finished), but the worker was still running when you"
                        + " answered (this one never ends by itself): join(Duration) returns whether the thread ENDED");
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aWorkerThatEndsWithinTheTimeoutIsReportedFinished",
                ReturnsWhatJoinReturned.class,
                "answered true (still alive), but the worker had ended when you"
                        + " answered: join(Duration) returns true when the thread has ENDED");
    }

    @Test
    void sleepingForTheTimeoutInsteadOfJoiningIsToldTheCourseRuleInEveryRule() {
        Grading.Report report = Grading.assertRejects(
                TimedJoinSpec.class,
                SleepsInsteadOfJoining.class,
                "course rule: SleepsInsteadOfJoining calls Thread.sleep or TimeUnit.sleep"
                        + " (dev.threadlab.lifecycle.exercise.fixtures.timedjoin.SleepsInsteadOfJoining.stillAliveAfter()"
                        + " at line ");
        boolean everyRuleSaysIt = report.outcomes().size() == 3
                && report.outcomes().stream()
                        .allMatch(o -> o.message().contains("Wait for an event instead (join, a latch, a queue)"));
        if (!everyRuleSaysIt) {
            throw new AssertionError("every rule names the course rule and its fix, at once: " + report);
        }
    }

    @Test
    void joiningWithNoTimeoutIsRejectedAtOnceNotAsAHang() {
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aWorkerStillRunningWhenTheTimeoutRunsOutIsReportedAlive",
                JoinsWithNoTimeout.class,
                "stillAliveAfter(worker, 20 ms) " + NO_TIME_LIMIT);
    }

    @Test
    void aZeroTimeoutPassedToJoinMillisIsRejected() {
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aZeroOrSubMillisecondTimeoutNeverWaitsWithoutALimit",
                JoinsForTheTimeoutInMillis.class,
                "stillAliveAfter(worker, Duration.ZERO) " + NO_TIME_LIMIT);
    }

    @Test
    void aSubMillisecondTimeoutRoundedDownToJoinZeroIsRejected() {
        Grading.assertRejectedBy(
                TimedJoinSpec.class,
                "aZeroOrSubMillisecondTimeoutNeverWaitsWithoutALimit",
                LooksAtZeroButJoinsWholeMillis.class,
                "stillAliveAfter(worker, 0.5 ms) " + NO_TIME_LIMIT);
    }

    /**
     * The worst case for the time to a verdict: a solution that spins instead of joining hangs in
     * the first rule (one bound, {@link WaitingRoom#PATIENCE}), and the other rules are skipped. Run on demand:
     * {@code ./mvnw -q -pl 02-join-isalive -am verify -Dtest=TimedJoinGradingTest
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsGetsItsVerdictWithinAMinute() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                TimedJoinSpec.class,
                BusyWaitsOnIsAlive.class,
                "hang: stillAliveAfter(worker, 1 h) did not return within 10 s, and was never seen waiting in join on"
                        + " the worker, which ends as soon as it is waited for there: wait for it with"
                        + " worker.join(timeout), not with Thread.sleep, and not in a loop on isAlive().\nWhere the"
                        + " threads were:\n  \"caller\" RUNNABLE",
                () -> {});
        String headline =
                GradingReport.verdict(report.outcomes()).lines().findFirst().orElseThrow();
        if (!headline.endsWith("not in a loop on isAlive().")) {
            throw new AssertionError("the headline ends on its sentence, not on what introduces the dump: " + headline);
        }
    }
}
