package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.gil.exercise.fixtures.oneatatime.ChecksThenTakesTheIndex;
import dev.threadlab.gil.exercise.fixtures.oneatatime.ChecksThenTakesTheIndexOutsideTheGil;
import dev.threadlab.gil.exercise.fixtures.oneatatime.CorrectWithAPoolAndASemaphore;
import dev.threadlab.gil.exercise.fixtures.oneatatime.CorrectWithAReentrantLock;
import dev.threadlab.gil.exercise.fixtures.oneatatime.EveryThreadRunsEveryTask;
import dev.threadlab.gil.exercise.fixtures.oneatatime.ForgetsToJoin;
import dev.threadlab.gil.exercise.fixtures.oneatatime.HangsInEveryRule;
import dev.threadlab.gil.exercise.fixtures.oneatatime.JoinsOnlyTheFirstThread;
import dev.threadlab.gil.exercise.fixtures.oneatatime.JoinsOnlyTheLastThread;
import dev.threadlab.gil.exercise.fixtures.oneatatime.JoinsOnlyTheLastThreadTakingUnderTheGil;
import dev.threadlab.gil.exercise.fixtures.oneatatime.JoinsWithATimeout;
import dev.threadlab.gil.exercise.fixtures.oneatatime.LetsAFailingTaskEndItsThread;
import dev.threadlab.gil.exercise.fixtures.oneatatime.NeverShutsThePoolDown;
import dev.threadlab.gil.exercise.fixtures.oneatatime.NoGil;
import dev.threadlab.gil.exercise.fixtures.oneatatime.OneThreadPerTask;
import dev.threadlab.gil.exercise.fixtures.oneatatime.RunsTheTasksOnTheCaller;
import dev.threadlab.gil.exercise.fixtures.oneatatime.SkipsATaskWhenTheGilIsTaken;
import dev.threadlab.gil.exercise.fixtures.oneatatime.SpinsOnAnAtomicBoolean;
import dev.threadlab.gil.exercise.fixtures.oneatatime.StartsAndJoinsEachThreadInTurn;
import dev.threadlab.gil.exercise.fixtures.oneatatime.UnlocksWithoutFinally;
import dev.threadlab.gil.exercise.fixtures.oneatatime.UsesACachedPool;
import dev.threadlab.gil.solution.ReferenceOneAtATime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
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
    private static final String THROWS = "aTaskThatThrowsReleasesTheGilAndTheOtherTasksStillRun";
    private static final String LONE_THREAD = "aTaskThatThrowsLeavesALoneThreadToRunTheRest";
    private static final String RETURNS = "itReturnsOnlyOnceEveryTaskHasFinished";
    private static final String WAIT_FOR_EVERY_THREAD =
            ": wait for every thread you started (join each one) before returning. ";

    /**
     * Grades {@code rule} once, and checks that it rejects {@code fixture} with one message holding
     * both fragments (the part between them, a thread's name, varies).
     */
    private static void rejects(String rule, Class<? extends OneAtATime> fixture, String first, String then) {
        Grading.Report report = Grading.assertRejectedBy(SPEC, rule, fixture, first);
        boolean saysIt = report.outcomes().stream()
                .anyMatch(o -> o.status() == Grading.Status.FAILED
                        && o.message().contains(first)
                        && o.message().contains(then));
        if (!saysIt) {
            throw new AssertionError("the spec should reject " + fixture.getSimpleName()
                    + " with a message containing \"" + first + "\" and \"" + then + "\", but it did not.\n" + report);
        }
    }

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
        rejects(
                NEVER_TWO,
                NoGil.class,
                "two tasks ran at once: task ",
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

    /**
     * Every thread runs every task, each under the GIL: rules 1, 3 and 4 fail on every run, 2 and 5
     * pass. Rule 5 (its threads stepped and held until runAll waits for each) takes longer than
     * {@link ThreadWatch#PATIENCE} under load; it once read a moment in which no thread ran (the
     * caller still in join() of a thread that had just ended, the other thread held) as runAll
     * never waiting for that thread. It now goes on looking while the state certainly changes by
     * itself. The whole spec is graded, and each rule's verdict and message are pinned.
     */
    @Test
    void everyThreadRunningEveryTaskIsRejectedByTheSameRulesEveryRun() {
        Grading.Report report = Grading.grade(SPEC, EveryThreadRunsEveryTask.class);
        List<Grading.Outcome> outcomes = report.outcomes().stream()
                .sorted(java.util.Comparator.comparingInt(Grading.Outcome::order))
                .toList();
        List<String> verdicts = outcomes.stream()
                .map(o -> o.test().substring(0, o.test().indexOf('.')) + " " + o.status())
                .toList();
        java.util.function.IntFunction<String> message = n -> outcomes.stream()
                .filter(o -> o.test().startsWith(n + ". "))
                .map(o -> o.message() == null ? "" : o.message())
                .findFirst()
                .orElse("");
        boolean pinned = verdicts.equals(List.of("1 FAILED", "2 PASSED", "3 FAILED", "4 FAILED", "5 PASSED"))
                && message.apply(1).startsWith("task 0 ran 3 times (on \"")
                && message.apply(1)
                        .contains("), but each task must run exactly once: each thread takes the next task"
                                + " nobody has taken, not every task. Read and advance the shared index in one step")
                && message.apply(3).startsWith("task 0 ran 2 times (on \"")
                && message.apply(3).endsWith(") after task 0 threw, but each task must run exactly once")
                && message.apply(4).startsWith("runAll(3 tasks, 1 thread): tasks 1, 2 never ran: task 0 threw on \"")
                && message.apply(4)
                        .endsWith("\" and, uncaught, ended that thread before it ran the others. Catch what"
                                + " a task throws (around task.run(), inside the thread's loop), so that the thread goes on"
                                + " with the next task")
                && report.mostTellingProblem().orElseThrow().test().startsWith("1. ");
        if (!pinned) {
            throw new AssertionError("EveryThreadRunsEveryTask should fail rules 1, 3, 4 and pass 2, 5 (2/5), each"
                    + " with its message; got " + verdicts + " of\n" + report);
        }
    }

    @Test
    void readingAndAdvancingTheIndexInTwoStepsIsRejected() {
        rejects(
                EXACTLY_ONCE,
                ChecksThenTakesTheIndex.class,
                "task 0 ran 3 times (on \"",
                "), but each task must run exactly once: each thread takes the next task nobody has taken, not"
                        + " every task. Read and advance the shared index in one step that no other thread can come"
                        + " between: under the GIL (synchronized around both), with an AtomicInteger's"
                        + " getAndIncrement(), or a queue's poll()");
    }

    @Test
    void readingTheIndexAgainAfterTheSizeCheckIsRejectedEveryRun() {
        // It reads the index after the task list's size(): no look into the list comes between its read
        // and its write. Loaded again with a pause point before each step, its first thread is paused
        // between the two while the other runs both tasks: task 0 runs twice, every run.
        rejects(
                EXACTLY_ONCE,
                ChecksThenTakesTheIndexOutsideTheGil.class,
                "task 0 ran twice (on \"",
                "): two threads read the shared index before either advanced it, outside the GIL (the grading"
                        + " paused \"");
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                ChecksThenTakesTheIndexOutsideTheGil.class,
                "while the other thread ran). Read and advance the shared index in one step that no other thread"
                        + " can come between: under the GIL (synchronized around both), with an AtomicInteger's"
                        + " getAndIncrement(), or a queue's poll()");
    }

    @Test
    void aSpinLockRunsEveryTaskOnceButIsToldByRuleTwo() {
        // Rule 1 lets its held task go once the spinning threads have used some CPU (the watch does not
        // tell them as a hang there, whatever the load): every task runs once. Rule 2 tells the spinning.
        Grading.Report exactlyOnce = Grading.grade(SPEC, EXACTLY_ONCE, SpinsOnAnAtomicBoolean.class);
        if (exactlyOnce.outcomes().isEmpty()
                || exactlyOnce.outcomes().stream().anyMatch(o -> o.status() != Grading.Status.PASSED)) {
            throw new AssertionError("rule 1 should pass a spin lock (it runs every task once), but:\n" + exactlyOnce);
        }
        // Rule 2 waits for the other thread to block on the GIL, which it never does: told as a spin once it
        // has used ThreadWatch.SPIN_CPU. Its patience runs out only while no thread of runAll runs, so on a
        // loaded machine the spinning thread gets that CPU later, and is told the same way.
        Grading.Report neverTwo = Grading.grade(SPEC, NEVER_TWO, SpinsOnAnAtomicBoolean.class);
        boolean told = neverTwo.outcomes().stream()
                .anyMatch(o -> o.status() == Grading.Status.FAILED
                        && o.message().contains("kept running without waiting, using")
                        && o.message()
                                .contains("a thread that has to wait must block (join, lock, acquire), never spin"));
        if (!told) {
            throw new AssertionError("rule 2 should reject a spin lock as spinning, but:\n" + neverTwo);
        }
    }

    @Test
    void joiningWithATimeoutIsRejected() {
        // Every look of its threads into the task list is held until runAll joins that thread with no
        // timeout: none of the 4 tasks has started when its join(100)s give up.
        Grading.assertRejectedBy(
                SPEC,
                RETURNS,
                JoinsWithATimeout.class,
                "runAll(4 tasks, 2 threads) returned before every task had finished (4 of 4 unfinished)"
                        + WAIT_FOR_EVERY_THREAD
                        + "runAll joined with a timeout, which gives up while the thread still runs: join() without"
                        + " a timeout");
    }

    @Test
    void joiningOnlyTheLastThreadIsRejected() {
        // Its threads take the next index outside the GIL, then look at the list's size: the first
        // thread is held there for good (runAll never waits for it), with the index it took, while the
        // last one runs the other tasks and ends. (Had the first not looked yet, it is held at its first
        // look after runAll returned.) Every run, whichever thread takes which task.
        Grading.assertRejectedBy(
                SPEC,
                RETURNS,
                JoinsOnlyTheLastThread.class,
                WAIT_FOR_EVERY_THREAD + "runAll joined 1 of its 2 threads (\"");
    }

    @Test
    void joiningOnlyTheLastThreadIsRejectedWhenTheTasksAreTakenUnderTheGil() {
        // Its threads look into the list and run their tasks only while they hold the GIL. Loaded again
        // with a step before each of its steps, the thread runAll does not wait for is held at each one
        // (outside the GIL, it cannot take it again): the joined one runs every task left and ends, and
        // runAll returns with the other still held. Every run, whichever thread took the GIL first.
        rejects(
                RETURNS,
                JoinsOnlyTheLastThreadTakingUnderTheGil.class,
                "a thread it started, had ended (it was still in your own code, held there by the grading until"
                        + " runAll waits for that thread)",
                WAIT_FOR_EVERY_THREAD + "runAll joined 1 of its 2 threads (\"");
    }

    @Test
    void joiningOnlyTheFirstThreadIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                RETURNS,
                JoinsOnlyTheFirstThread.class,
                WAIT_FOR_EVERY_THREAD + "runAll joined 1 of its 2 threads (\"");
    }

    /**
     * Rules 1, 2 and 3 each hold the first task that starts (whichever it is) until the other
     * threads wait or have ended: these have ended, having skipped every other task, so each of the
     * three fails on every run; rules 4 (one thread: tryLock() never fails) and 5 pass. Rule 3 used to
     * let its task throw as soon as no other thread was alive, even one not started yet, which then
     * found the GIL free: it passed on some runs. The whole spec is graded, and each rule's verdict,
     * the count and the headline are pinned, as the learner sees them ("2/5 rules pass").
     */
    @Test
    void skippingATaskWhenTheGilIsTakenIsRejectedByTheSameRulesEveryRun() {
        String skips = " with tasks left that nobody ran. A thread that finds the GIL taken must wait for it"
                + " (synchronized, lock() or acquire()), not give up on its task (a tryLock() that fails skips it)";
        Grading.Report report = Grading.grade(SPEC, SkipsATaskWhenTheGilIsTaken.class);
        List<String> verdicts = report.outcomes().stream()
                .sorted(java.util.Comparator.comparingInt(Grading.Outcome::order))
                .map(o -> o.test().substring(0, o.test().indexOf('.')) + " " + o.status())
                .toList();
        Grading.Outcome headline = report.mostTellingProblem().orElseThrow();
        String rule3 = report.outcomes().stream()
                .filter(o -> o.test().startsWith("3. "))
                .map(Grading.Outcome::message)
                .findFirst()
                .orElse("");
        boolean pinned = verdicts.equals(List.of("1 FAILED", "2 FAILED", "3 FAILED", "4 PASSED", "5 PASSED"))
                && headline.test().startsWith("1. Every task exactly once")
                && headline.message().contains(" never ran: \"")
                && headline.message().contains(", holding the GIL (held there by the grading)," + skips)
                && rule3.startsWith("runAll(6 tasks, 2 threads): tasks ")
                && rule3.contains(" ended while task ")
                && rule3.endsWith(" ran, holding the GIL (held there by the grading, before it threw)," + skips);
        if (!pinned) {
            throw new AssertionError(
                    "SkipsATaskWhenTheGilIsTaken should fail rules 1, 2, 3 and pass 4, 5 (2/5), headlined"
                            + " by rule 1's tryLock() message, rule 3 saying the tasks were skipped; got " + verdicts
                            + ", headline " + headline + " of\n" + report);
        }
    }

    @Test
    void aCachedPoolIsRejected() {
        // Rule 1 holds the first task until every other thread waits: each task submitted meanwhile
        // finds every pool thread busy, and gets a new one.
        Grading.assertRejectedBy(
                SPEC,
                EXACTLY_ONCE,
                UsesACachedPool.class,
                "the 12 tasks ran on 12 different threads, but runAll(12 tasks, 3 threads) was given 3: start"
                        + " exactly that many threads");
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
    void aPoolNeverShutDownIsRejected() {
        // Its threads wait for more tasks and never end: told as a hang (the later rules are skipped)
        // as soon as every task has finished and runAll awaits the pool's termination.
        try {
            rejects(
                    EXACTLY_ONCE,
                    NeverShutsThePoolDown.class,
                    "hang: runAll(12 tasks, 3 threads) waits for its pool to terminate, but nobody shut the pool"
                            + " down: \"",
                    " wait for more tasks, and never end. Shut the pool down (shutdown()) once every task is"
                            + " submitted, then await its termination");
        } finally {
            NeverShutsThePoolDown.POOLS.forEach(
                    ExecutorService::shutdownNow); // its threads end: nothing outlives this test
        }
    }

    @Test
    void aGilLeftHeldByAFailingTaskIsRejected() {
        // The task that throws is the first to start, whichever thread takes it: every other task
        // still needs the GIL afterwards, so the other thread certainly comes to wait for it.
        rejects(
                THROWS,
                UnlocksWithoutFinally.class,
                "runAll(6 tasks, 2 threads) never returned: \"",
                " threw while it held the GIL, and the thread died holding it). Release the GIL however the task"
                        + " ends: unlock() in a finally block (synchronized does it for you)");
        Grading.assertRejectedBy(
                SPEC, LONE_THREAD, UnlocksWithoutFinally.class, "runAll(3 tasks, 1 thread): tasks 1, 2 never ran");
    }

    @Test
    void aFailingTaskThatEndsItsThreadIsRejected() {
        rejects(
                LONE_THREAD,
                LetsAFailingTaskEndItsThread.class,
                "runAll(3 tasks, 1 thread): tasks 1, 2 never ran: task 0 threw on \"",
                "and, uncaught, ended that thread before it ran the others. Catch what a task throws");
    }

    @Test
    void returningWithoutJoiningIsRejected() {
        rejects(
                RETURNS,
                ForgetsToJoin.class,
                "runAll(4 tasks, 2 threads) returned before every task had finished (4 of 4 unfinished)",
                WAIT_FOR_EVERY_THREAD + "runAll joined none of its ");
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
