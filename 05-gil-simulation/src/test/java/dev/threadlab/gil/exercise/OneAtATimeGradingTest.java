package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.gil.exercise.fixtures.oneatatime.ChecksThenTakesTheIndex;
import dev.threadlab.gil.exercise.fixtures.oneatatime.CorrectWithAPoolAndASemaphore;
import dev.threadlab.gil.exercise.fixtures.oneatatime.CorrectWithAReentrantLock;
import dev.threadlab.gil.exercise.fixtures.oneatatime.EveryThreadRunsEveryTask;
import dev.threadlab.gil.exercise.fixtures.oneatatime.ForgetsToJoin;
import dev.threadlab.gil.exercise.fixtures.oneatatime.HangsInEveryRule;
import dev.threadlab.gil.exercise.fixtures.oneatatime.JoinsWithATimeout;
import dev.threadlab.gil.exercise.fixtures.oneatatime.LetsAFailingTaskEndItsThread;
import dev.threadlab.gil.exercise.fixtures.oneatatime.NoGil;
import dev.threadlab.gil.exercise.fixtures.oneatatime.OneThreadPerTask;
import dev.threadlab.gil.exercise.fixtures.oneatatime.RunsTheTasksOnTheCaller;
import dev.threadlab.gil.exercise.fixtures.oneatatime.StartsAndJoinsEachThreadInTurn;
import dev.threadlab.gil.exercise.fixtures.oneatatime.UnlocksWithoutFinally;
import dev.threadlab.gil.solution.ReferenceOneAtATime;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that {@link OneAtATimeSpec} grades both ways: it accepts the reference and correct solutions
 * in two other idioms, finds the untouched stub not implemented, and rejects each plausible mistake
 * with the message that names it.
 */
@GradingSelfCheck
class OneAtATimeGradingTest {

    private static final Class<OneAtATimeSpec> SPEC = OneAtATimeSpec.class;
    private static final String EXACTLY_ONCE = "everyTaskRunsExactlyOnceOnTheThreadsItStarts";
    private static final String NEVER_TWO = "neverTwoTasksRunAtOnce";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferenceOneAtATime.class);
    }

    @Test
    void aReentrantLockAndAQueuePass() {
        Grading.assertPasses(SPEC, CorrectWithAReentrantLock.class);
    }

    @Test
    void aFixedPoolAndASemaphorePass() {
        Grading.assertPasses(SPEC, CorrectWithAPoolAndASemaphore.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    @Test
    void threadsWithoutAGilAreCaughtRunningTwoTasksAtOnce() {
        Grading.assertRejectedBy(SPEC, NEVER_TWO, NoGil.class, "two tasks ran at once: task ");
        Grading.assertRejectedBy(
                SPEC,
                NEVER_TWO,
                NoGil.class,
                ". Hold one lock, the GIL, around each task (synchronized on one"
                        + " shared object, or one ReentrantLock), so that a thread waits while another runs a task");
    }

    @Test
    void startingAndJoiningOneThreadAtATimeIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                NEVER_TWO,
                StartsAndJoinsEachThreadInTurn.class,
                "holding the GIL, no other thread of runAll(4 tasks, 2 threads) was there to wait for it: runAll was"
                        + " already joining \"");
    }

    @Test
    void everyThreadRunningEveryTaskIsRejected() {
        Grading.assertRejectedBy(SPEC, EXACTLY_ONCE, EveryThreadRunsEveryTask.class, "task 0 ran 3 times (on \"");
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                EveryThreadRunsEveryTask.class,
                "), but each task must run exactly once: each thread takes the next task nobody has taken, not"
                        + " every task");
    }

    @Test
    void readingAndAdvancingTheIndexInTwoStepsIsRejected() {
        Grading.assertRejectedBy(SPEC, EXACTLY_ONCE, ChecksThenTakesTheIndex.class, "task 0 ran 3 times (on \"");
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                ChecksThenTakesTheIndex.class,
                "), but each task must run exactly once: each thread takes the next task nobody has taken, not"
                        + " every task. Read and advance the shared index in one step that no other thread can come"
                        + " between: under the GIL (synchronized around both), with an AtomicInteger's"
                        + " getAndIncrement(), or a queue's poll()");
    }

    @Test
    void joiningWithATimeoutIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "itReturnsOnlyOnceEveryTaskHasFinished",
                JoinsWithATimeout.class,
                "runAll(4 tasks, 2 threads) returned before every task had finished (");
        Grading.assertRejectedBy(
                SPEC,
                "itReturnsOnlyOnceEveryTaskHasFinished",
                JoinsWithATimeout.class,
                "held there by the grading): wait for every thread you started (join each one) before returning."
                        + " runAll joined with a timeout, which gives up while the thread still runs: join() without"
                        + " a timeout");
    }

    @Test
    void aThreadPerTaskIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                OneThreadPerTask.class,
                "the 12 tasks ran on 12 different threads, but runAll(12 tasks, 3 threads) was given 3");
    }

    @Test
    void runningTheTasksOnTheCallerIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                RunsTheTasksOnTheCaller.class,
                "task 0 ran on the thread that called runAll (\"caller\"): run every task on the threads runAll"
                        + " starts");
    }

    @Test
    void aGilLeftHeldByAFailingTaskIsRejected() {
        // Rule 3 names the GIL left held only when the other thread had not run every other task
        // before task 0 ran: on a loaded machine it once had (a CI run), and rule 3 passed. Rule 4,
        // with one thread, rejects this solution in every run: that is what is proven here.
        Grading.assertRejectedBy(
                SPEC,
                "aTaskThatThrowsLeavesALoneThreadToRunTheRest",
                UnlocksWithoutFinally.class,
                "runAll(3 tasks, 1 thread): tasks 1, 2 never ran");
    }

    @Test
    void aFailingTaskThatEndsItsThreadIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aTaskThatThrowsLeavesALoneThreadToRunTheRest",
                LetsAFailingTaskEndItsThread.class,
                "runAll(3 tasks, 1 thread): tasks 1, 2 never ran: task 0 threw on \"");
        Grading.assertRejectedBy(
                SPEC,
                "aTaskThatThrowsLeavesALoneThreadToRunTheRest",
                LetsAFailingTaskEndItsThread.class,
                "and, uncaught, ended that thread before it ran the others. Catch what a task throws");
    }

    @Test
    void returningWithoutJoiningIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "itReturnsOnlyOnceEveryTaskHasFinished",
                ForgetsToJoin.class,
                "runAll(4 tasks, 2 threads) returned before every task had finished (");
        Grading.assertRejectedBy(
                SPEC,
                "itReturnsOnlyOnceEveryTaskHasFinished",
                ForgetsToJoin.class,
                "): wait for every thread you started (join each one) before returning");
    }

    /**
     * Rule 1 judges where and how often the tasks ran, not when runAll returns (rule 5 does): a
     * thread of ForgetsToJoin that first looks at the tasks after runAll has returned is let go, not
     * held by the test and then reported as left running. It was held when its first look came late
     * (in a warm test JVM, not in ./threadlab check's fresh one): the two disagreed on rule 1.
     */
    @Test
    void threadsThatFirstLookAtTheTasksAfterRunAllReturnedAreNotHeld() {
        Grading.Report report =
                Grading.grade(SPEC, "everyTaskRunsExactlyOnceOnTheThreadsItStarts", ForgetsToJoin.class);
        if (!report.passed()) {
            throw new AssertionError("rule 1 should pass ForgetsToJoin (rule 5 rejects it): " + report);
        }
    }

    /**
     * The worst case: runAll spins, deaf to interrupts, in every rule. Only on demand:
     * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Dtest=OneAtATimeGradingTest#aRunAllThatHangsInEveryRuleIsToldWithinAMinute
     * -Dthreadlab.hangcheck=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120)
    void aRunAllThatHangsInEveryRuleIsToldWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SPEC,
                HangsInEveryRule.class,
                "\"caller\" kept running without waiting, using",
                HangsInEveryRule.RELEASE::countDown);
    }
}
