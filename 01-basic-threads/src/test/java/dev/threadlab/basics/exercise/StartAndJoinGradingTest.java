package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.fixtures.AwaitsALatchAndIgnoresTheResult;
import dev.threadlab.basics.exercise.fixtures.BusyWaitsOnIsAlive;
import dev.threadlab.basics.exercise.fixtures.GivesUpAfterThreeTries;
import dev.threadlab.basics.exercise.fixtures.HangsForever;
import dev.threadlab.basics.exercise.fixtures.JoinsAllButTheFirst;
import dev.threadlab.basics.exercise.fixtures.JoinsAllButTheLast;
import dev.threadlab.basics.exercise.fixtures.JoinsEachForASecond;
import dev.threadlab.basics.exercise.fixtures.JoinsEachForFiveSeconds;
import dev.threadlab.basics.exercise.fixtures.JoinsOnlyTheFirst;
import dev.threadlab.basics.exercise.fixtures.JoinsWithATimeout;
import dev.threadlab.basics.exercise.fixtures.LeftRunning;
import dev.threadlab.basics.exercise.fixtures.NeverChecksTheCount;
import dev.threadlab.basics.exercise.fixtures.NeverStarted;
import dev.threadlab.basics.exercise.fixtures.NoJoin;
import dev.threadlab.basics.exercise.fixtures.OneAfterTheOther;
import dev.threadlab.basics.exercise.fixtures.PrintsBeforeJoining;
import dev.threadlab.basics.exercise.fixtures.RefusesWithoutNamingTheValue;
import dev.threadlab.basics.exercise.fixtures.RunInsteadOfStart;
import dev.threadlab.basics.exercise.fixtures.RunsTheTasksOnAParallelStream;
import dev.threadlab.basics.exercise.fixtures.ShutsDownThePoolWithoutWaiting;
import dev.threadlab.basics.exercise.fixtures.UsesAPoolOfOneThread;
import dev.threadlab.basics.exercise.fixtures.correct.JoinsInALoopWithATimeout;
import dev.threadlab.basics.exercise.fixtures.correct.JoinsInReverseOrder;
import dev.threadlab.basics.exercise.fixtures.correct.JoinsWithADurationUntilItEnds;
import dev.threadlab.basics.exercise.fixtures.correct.WithAFixedPoolInTryWithResources;
import dev.threadlab.basics.exercise.fixtures.correct.WithAVirtualThreadPerTaskExecutor;
import dev.threadlab.basics.exercise.fixtures.correct.WithFuturesInReverseOrder;
import dev.threadlab.basics.exercise.fixtures.correct.WithStartVirtualThread;
import dev.threadlab.basics.exercise.fixtures.correct.WithThreadOfPlatform;
import dev.threadlab.basics.exercise.fixtures.correct.WithVirtualThreads;
import dev.threadlab.basics.exercise.fixtures.pool.AwaitsTerminationWithoutShutdown;
import dev.threadlab.basics.exercise.fixtures.pool.NeverShutsDownItsFixedPool;
import dev.threadlab.basics.exercise.fixtures.pool.PoolOfTwoForThreeTasks;
import dev.threadlab.basics.solution.ReferenceStartAndJoin;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The spec grades both ways: it accepts the reference and a correct solution in each idiom the
 * course teaches, and rejects the stub and each wrong solution with the message for its mistake.
 */
@GradingSelfCheck
class StartAndJoinGradingTest {

    private static final Class<StartAndJoinSpec> SPEC = StartAndJoinSpec.class;
    private static final String ON_EACH_THREAD = "theTaskRunsOnceOnEachOfTheNewThreads";
    private static final String AT_THE_SAME_TIME = "theThreadsRunAtTheSameTime";
    private static final String PRINTED_AFTER = "threadsCompletedIsPrintedOnlyAfterEveryThreadHasFinished";
    private static final String REFUSED = "fewerThanOneThreadIsRefusedWithAClearError";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferenceStartAndJoin.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    // ---- correct solutions in the idioms the course teaches

    @Test
    void threadOfPlatformPasses() {
        Grading.assertPasses(SPEC, WithThreadOfPlatform.class);
    }

    @Test
    void joiningInReverseOrderPasses() {
        Grading.assertPasses(SPEC, JoinsInReverseOrder.class);
    }

    @Test
    void virtualThreadsPass() {
        Grading.assertPasses(SPEC, WithVirtualThreads.class);
    }

    @Test
    void startVirtualThreadPasses() {
        Grading.assertPasses(SPEC, WithStartVirtualThread.class);
    }

    @Test
    void aFixedPoolInTryWithResourcesPasses() {
        Grading.assertPasses(SPEC, WithAFixedPoolInTryWithResources.class);
    }

    @Test
    void aVirtualThreadPerTaskExecutorPasses() {
        Grading.assertPasses(SPEC, WithAVirtualThreadPerTaskExecutor.class);
    }

    @Test
    void gettingEveryFutureInAnyOrderPasses() {
        Grading.assertPasses(SPEC, WithFuturesInReverseOrder.class);
    }

    // ---- wrong solutions, each caught by the rule it breaks

    @Test
    void threadsThatAreNeverStartedAreRejected() {
        Grading.assertRejectedBy(
                SPEC,
                ON_EACH_THREAD,
                NeverStarted.class,
                "the task ran 0 times for 3 threads, and no thread was left to run it again after runAll returned:"
                        + " a thread runs its task only once start() is called");
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                NeverStarted.class,
                "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 never ran at all");
    }

    @Test
    void callingRunInsteadOfStartIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                ON_EACH_THREAD,
                RunInsteadOfStart.class,
                "the task ran on the calling thread \"caller\": run() executes the body right here, on the caller");
    }

    @Test
    void aParallelStreamIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                ON_EACH_THREAD,
                RunsTheTasksOnAParallelStream.class,
                "the task ran on the calling thread \"caller\"");
    }

    @Test
    void runningTheThreadsOneAfterTheOtherIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                AT_THE_SAME_TIME,
                OneAfterTheOther.class,
                "runAll waited while only 1 of the 3 tasks was running, and no other thread was there to run the"
                        + " rest");
    }

    @Test
    void aPoolOfOneThreadIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                AT_THE_SAME_TIME,
                UsesAPoolOfOneThread.class,
                "runAll waited while only 1 of the 3 tasks was running");
    }

    @Test
    void reportingCompletionWithoutJoiningIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                NoJoin.class,
                "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 were still running");
    }

    @Test
    void joiningAllButTheLastIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                JoinsAllButTheLast.class,
                "\"Threads completed.\" was printed when only 2 of the 3 tasks had finished; 1 was still running");
    }

    @Test
    void joiningAllButTheFirstIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                JoinsAllButTheFirst.class,
                "\"Threads completed.\" was printed when only 2 of the 3 tasks had finished; 1 was still running");
    }

    @Test
    void joiningOnlyOneIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                JoinsOnlyTheFirst.class,
                "\"Threads completed.\" was printed when only 1 of the 3 tasks had finished; 2 were still running");
    }

    @Test
    void joiningWithATimeoutIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                JoinsWithATimeout.class,
                "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 were still running");
    }

    /** A timed join gives up at once, whatever its length: one verdict and one message, every run. */
    private static final String GAVE_UP = "\"Threads completed.\" was printed when only 0 of the 3 tasks had"
            + " finished; 3 were still running, and runAll had given up on a timed wait (the grader let each"
            + " task end only once runAll waited for it, and takes a join(ms), get(timeout) or awaitTermination as one"
            + " that runs out at once, whatever its length, unless runAll waits again until the thread has ended):"
            + " join() every thread you started before printing, with no timeout, or loop until join(Duration)"
            + " returns true";

    /** Grades {@code fixture} twice: rejected by {@code rule} both times, with the very same message. */
    private static void assertRejectedTheSameTwice(
            String rule, Class<? extends StartAndJoin> fixture, String fragment) {
        String first = Grading.assertRejectedBy(SPEC, rule, fixture, fragment)
                .outcomes()
                .get(0)
                .message();
        String second = Grading.assertRejectedBy(SPEC, rule, fixture, fragment)
                .outcomes()
                .get(0)
                .message();
        if (!first.equals(second)) {
            throw new AssertionError(fixture.getSimpleName() + " got two messages:\n" + first + "\n" + second);
        }
    }

    @Test
    void joiningEachForASecondIsRejectedTheSameEveryRun() {
        assertRejectedTheSameTwice(PRINTED_AFTER, JoinsEachForASecond.class, GAVE_UP);
    }

    @Test
    void joiningEachForFiveSecondsIsRejectedAsAtOnce() {
        assertRejectedTheSameTwice(PRINTED_AFTER, JoinsEachForFiveSeconds.class, GAVE_UP);
    }

    /** A loop of timed joins that gives up after three tries is a give-up (a count, not a time). */
    @Test
    void aJoinLoopThatGivesUpAfterThreeTriesIsRejectedTheSameEveryRun() {
        assertRejectedTheSameTwice(PRINTED_AFTER, GivesUpAfterThreeTries.class, GAVE_UP);
    }

    /** A latch's timed await, its result ignored, is a timed wait like any other (routed by TimedWaits). */
    @Test
    void awaitingALatchWithATimeoutIsRejectedTheSameEveryRun() {
        assertRejectedTheSameTwice(PRINTED_AFTER, AwaitsALatchAndIgnoresTheResult.class, GAVE_UP);
    }

    @Test
    void timedJoinsInALoopPass() {
        Grading.assertPasses(SPEC, JoinsInALoopWithATimeout.class);
    }

    @Test
    void joinWithADurationUntilItEndsPasses() {
        Grading.assertPasses(SPEC, JoinsWithADurationUntilItEnds.class);
    }

    /** Decided by the CPU the caller burns without waiting, not by the 10 s bound of a hang. */
    @Test
    void busyWaitingOnIsAliveIsRejectedAsASpinNotAHang() {
        assertRejectedTheSameTwice(PRINTED_AFTER, BusyWaitsOnIsAlive.class, StartAndJoinSpec.SPINS);
    }

    @Test
    void printingBeforeJoiningIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                PrintsBeforeJoining.class,
                "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 were still running");
    }

    /**
     * A fixed pool, its Futures got, never shut down (a learner's): its idle threads are left behind,
     * and the advice is the pool's, not a thread's join (no "join(Duration)").
     */
    @Test
    void aFixedPoolNeverShutDownIsRejectedWithThePoolsAdvice() {
        String message;
        try {
            message = Grading.assertRejectedBy(
                            SPEC, ON_EACH_THREAD, NeverShutsDownItsFixedPool.class, "shut down every pool")
                    .outcomes()
                    .get(0)
                    .message();
        } finally {
            LeftRunning.shutDownAll();
        }
        if (!message.contains("an idle worker of a pool that was never shut down") || message.contains("join(")) {
            throw new AssertionError("the advice does not fit a pool never shut down: " + message);
        }
    }

    /** A fixed pool of two for three tasks (a learner's): the third waits for a free thread. */
    @Test
    void aFixedPoolOfTwoForThreeTasksIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                AT_THE_SAME_TIME,
                PoolOfTwoForThreeTasks.class,
                "runAll waited while only 2 of the 3 tasks were running, and no other thread was there to run the"
                        + " rest");
    }

    /**
     * A pool's awaitTermination with a timeout, without shutdown() (a learner's): a give-up, told
     * with the pool's advice (close(), or shutdown() and awaitTermination until true), not a join.
     */
    @Test
    void awaitingTerminationWithoutShutdownIsRejectedWithThePoolsAdvice() {
        try {
            assertRejectedTheSameTwice(
                    PRINTED_AFTER,
                    AwaitsTerminationWithoutShutdown.class,
                    "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 were still running,"
                            + " and runAll had given up on a timed wait (the grader let each task end only once runAll"
                            + " waited for it, and takes a join(ms), get(timeout) or awaitTermination as one that runs"
                            + " out at once, whatever its length, unless runAll waits again until the pool has"
                            + " terminated): awaitTermination waits only for a pool that was shut down, and this one"
                            + " never was: close() the pool before printing (try-with-resources: it shuts the pool down,"
                            + " then waits for every task), or shutdown() it, then loop until awaitTermination returns"
                            + " true");
        } finally {
            LeftRunning.shutDownAll();
        }
    }

    @Test
    void shuttingDownAPoolWithoutWaitingIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                PRINTED_AFTER,
                ShutsDownThePoolWithoutWaiting.class,
                "\"Threads completed.\" was printed when only 0 of the 3 tasks had finished; 3 were still running");
    }

    @Test
    void anErrorThatDoesNotNameTheBadValueIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                REFUSED,
                RefusesWithoutNamingTheValue.class,
                "runAll(0, ...) threw IllegalArgumentException(\"threads must be at least 1\"): the message names the"
                        + " parameter and its bad value, e.g. \"threads must be at least 1, was 0\"");
    }

    @Test
    void notCheckingTheCountIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                REFUSED,
                NeverChecksTheCount.class,
                "runAll(0, ...) should throw IllegalArgumentException, but it returned");
    }

    /**
     * The worst case for the time to a verdict: a solution that hangs in every rule. Slow by nature
     * (one hang, bounded by Stage.PATIENCE, plus the leak check's grace), so it runs only on demand:
     * {@code ./mvnw -q -pl 01-basic-threads -am verify -Dtest=StartAndJoinGradingTest#aSolutionThatHangsEverywhere*
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    void aSolutionThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60), SPEC, HangsForever.class, "did not return", HangsForever::stopHanging);
    }
}
