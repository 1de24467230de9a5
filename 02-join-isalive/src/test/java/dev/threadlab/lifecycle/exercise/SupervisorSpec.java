package dev.threadlab.lifecycle.exercise;

import static dev.threadlab.lifecycle.exercise.AccountChecks.assertAccount;
import static dev.threadlab.lifecycle.exercise.AccountChecks.assertReportedAsFailedWith;
import static dev.threadlab.lifecycle.exercise.Crew.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.lifecycle.exercise.Outcome.Cancelled;
import dev.threadlab.lifecycle.exercise.Outcome.Failed;
import dev.threadlab.lifecycle.exercise.Outcome.Finished;
import dev.threadlab.lifecycle.solution.ReferenceSupervisor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor's rules (see {@link Supervisor}), one test each, in the javadoc's order. Time is a manual clock moved only
 * by the scripted workers of {@link Crew}: "works for 40 min" costs nothing and the deadline
 * passes exactly when a test says, so every outcome below is certain, not likely. The harness is
 * apart: {@link Crew} and {@link Hand} (the scripted workers), {@link SupervisorRun} (one watched
 * call), {@link WatchedRules} (the rules seen broken while the call runs), {@link AccountChecks}
 * (the messages about an account).
 */
@GradedExercise(
        value = "02.3 supervise workers with one shared deadline",
        learner = YourSupervisor.class,
        reference = ReferenceSupervisor.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20)
class SupervisorSpec {

    private final Crew crew = new Crew();

    @AfterEach
    void nothingOutlivesTheTest() {
        crew.close();
    }

    @Test
    @Order(1)
    @DisplayName("1. A new platform thread per task, named worker-N")
    void eachTaskRunsOnItsOwnNewPlatformThreadNamedWorkerN(@Solution Supervisor solution) {
        Hand a = crew.blocksUntilInterrupted();
        Hand b = crew.returns("b");
        Hand c = crew.returns("c");
        SupervisorRun run = crew.start(solution, TIMEOUT, a, b, c);

        run.awaitJoining(a); // and all three were started by then (the watch checks it)
        crew.release(a);
        run.awaitReturn();

        run.account();
        Set<Thread> threads = new HashSet<>();
        for (Hand h : List.of(a, b, c)) {
            Thread t = h.thread();
            assertThat(t)
                    .withFailMessage("%s's task never ran: start one thread per task", h.worker())
                    .isNotNull();
            assertThat(t.getName())
                    .withFailMessage(
                            "the task of %s ran on a thread named \"%s\": name each worker"
                                    + " thread worker-N, N its task's position from 1, so dumps and the account say who is who",
                            h.worker(), t.getName())
                    .isEqualTo(h.worker());
            assertThat(t.getName())
                    .withFailMessage(
                            "%s ran on the supervisor's own thread: that is run(), not"
                                    + " start(); each task needs a new thread",
                            h.worker())
                    .isNotEqualTo("supervisor");
            assertThat(t.isVirtual())
                    .withFailMessage(
                            "%s ran on a virtual thread: use a platform thread"
                                    + " (new Thread or Thread.ofPlatform())",
                            h.worker())
                    .isFalse();
            threads.add(t);
        }
        assertThat(threads)
                .withFailMessage("3 tasks ran on %d distinct threads: one new thread per task", threads.size())
                .hasSize(3);
    }

    @Test
    @Order(2)
    @DisplayName("2. Finished, with the result, in task order")
    void workersThatFinishInTimeAreReportedWithTheirResultsInTaskOrder(@Solution Supervisor solution) {
        SupervisorRun run = crew.supervise(solution, crew.returns("a"), crew.returns("b"), crew.returns("c"));

        assertAccount(
                run.account(),
                "three tasks that return at once: each Finished with its result",
                List.of(
                        new Finished<>("worker-1", "a"),
                        new Finished<>("worker-2", "b"),
                        new Finished<>("worker-3", "c")));
    }

    @Test
    @Order(3)
    @DisplayName("3. An exception is Failed, not swallowed")
    void anExceptionThrownInAWorkerIsReportedAsFailedNotSwallowed(@Solution Supervisor solution) {
        IllegalStateException diskFull = new IllegalStateException("disk full");
        Hand fails = crew.fails(diskFull);

        SupervisorRun run = crew.supervise(solution, crew.returns("a"), fails);

        List<Outcome<String>> account = run.account();
        assertThat(account)
                .withFailMessage(
                        "2 tasks gave an account of %s: every worker appears exactly once," + " in task order", account)
                .hasSize(2);
        assertReportedAsFailedWith(account.get(1), diskFull, "exception", run.escapedFrom(fails));
    }

    @Test
    @Order(4)
    @DisplayName("4. An Error is Failed too")
    void anErrorThrownInAWorkerIsReportedAsFailedToo(@Solution Supervisor solution) {
        StackOverflowError tooDeep = new StackOverflowError("too deep");
        Hand deep = crew.fails(tooDeep);

        SupervisorRun run = crew.supervise(solution, crew.returns("a"), deep);

        List<Outcome<String>> account = run.account();
        assertThat(account)
                .withFailMessage(
                        "2 tasks gave an account of %s: every worker appears exactly once," + " in task order", account)
                .hasSize(2);
        assertReportedAsFailedWith(account.get(1), tooDeep, "error", run.escapedFrom(deep));
    }

    @Test
    @Order(5)
    @DisplayName("5. Late workers are interrupted and Cancelled")
    void aWorkerStillRunningAtTheDeadlineIsInterruptedAndReportedCancelled(@Solution Supervisor solution)
            throws InterruptedException {
        Hand late = crew.blocksUntilInterrupted();

        SupervisorRun run = crew.supervise(solution, crew.spends(Duration.ofMinutes(70), "a"), late);
        run.awaitTaskStartedIfItsThreadWas(late); // interrupted before it ran a line, it still was interrupted

        assertAccount(
                run.account(),
                "worker-1 used 70 of the 60 min; worker-2 was still running: it is Cancelled",
                List.of(new Finished<>("worker-1", "a"), new Cancelled<>("worker-2")));
        assertThat(late.wasInterrupted())
                .withFailMessage("worker-2 was reported Cancelled but never interrupted: interrupt() the workers"
                        + " still alive at the deadline")
                .isTrue();
    }

    @Test
    @Order(6)
    @DisplayName("6. One shared deadline")
    void oneDeadlineIsSharedByAllWorkersNotRestartedForEach(@Solution Supervisor solution) {
        SupervisorRun run = crew.supervise(
                solution,
                crew.spends(Duration.ofMinutes(40), "a"),
                crew.spends(Duration.ofMinutes(40), "b"),
                crew.blocksUntilInterrupted());

        List<Outcome<String>> account = run.account();
        int startedFirst = run.startedAtFirstTickerRead();
        if (startedFirst > 0) {
            String reader = run.firstTickerReader();
            throw new AssertionError("supervise() first read the ticker after starting " + startedFirst + " of the 3"
                    + " workers" + ("supervisor".equals(reader) ? "" : " (the read was made on " + reader + ")")
                    + ": a deadline read then starts late, and the time the workers ran before that read is not"
                    + " counted. Read the ticker and fix the deadline (ticker.nanoTime() + timeout) before starting"
                    + " any worker, then start them all");
        }
        assertAccount(
                account,
                "each of worker-1 and worker-2 stayed within 60 min, but together they"
                        + " used 80: the one deadline had passed when worker-3's turn came",
                List.of(new Finished<>("worker-1", "a"), new Finished<>("worker-2", "b"), new Cancelled<>("worker-3")));
    }

    @Test
    @Order(7)
    @DisplayName("7. Every worker exactly once")
    void everyWorkerAppearsExactlyOnce(@Solution Supervisor solution) {
        IllegalArgumentException bad = new IllegalArgumentException("bad input");

        SupervisorRun run = crew.supervise(
                solution,
                crew.returns("a"),
                crew.fails(bad),
                crew.spends(Duration.ofMinutes(70), "c"),
                crew.blocksUntilInterrupted(),
                crew.blocksUntilInterrupted());

        assertAccount(
                run.account(),
                "one of each: finished, failed, finished after spending the time, cancelled twice",
                List.of(
                        new Finished<>("worker-1", "a"),
                        new Failed<>("worker-2", bad),
                        new Finished<>("worker-3", "c"),
                        new Cancelled<>("worker-4"),
                        new Cancelled<>("worker-5")));
    }

    @Test
    @Order(8)
    @DisplayName("8. No worker alive at the return")
    void noWorkerIsStillAliveWhenSuperviseReturns(@Solution Supervisor solution) {
        SupervisorRun run =
                crew.supervise(solution, crew.spends(Duration.ofMinutes(70), "a"), crew.blocksThenCleansUpSlowly());

        List<String> alive = run.aliveAtReturn();
        assertThat(alive)
                .withFailMessage(
                        "%s still alive when supervise() returned (interrupted, but still cleaning up, and"
                                + " its cleanup ends only once you wait for it): after interrupting the late workers, join"
                                + " each of them, with join() and no timeout, before returning (no join, or a join with a"
                                + " timeout, lets supervise() return while a worker is still cleaning up, and a cleanup may"
                                + " take longer than any timeout you pick)",
                        alive)
                .isEmpty();
        assertAccount(
                run.account(),
                "worker-2 was late and is Cancelled",
                List.of(new Finished<>("worker-1", "a"), new Cancelled<>("worker-2")));
    }

    @Test
    @Order(9)
    @DisplayName("9. The caller's interrupt cancels everything")
    void interruptingTheCallerCancelsEveryWorkerAndRethrows(@Solution Supervisor solution) throws InterruptedException {
        Hand first = crew.blocksThenCleansUpSlowly();
        Hand second = crew.blocksThenCleansUpSlowly();
        SupervisorRun run = crew.start(solution, TIMEOUT, first, second);
        run.awaitSupervisorWaiting();

        run.interruptSupervisor();
        run.awaitReturn();

        Throwable thrown = run.thrownByTheSolution();
        assertThat(thrown)
                .withFailMessage(
                        "the caller was interrupted while supervise() waited, so it must throw"
                                + " InterruptedException, but it %s",
                        thrown == null ? "returned" : "threw " + thrown)
                .isInstanceOf(InterruptedException.class);
        run.awaitTaskStartedIfItsThreadWas(first); // interrupted before it ran a line, it still was interrupted
        run.awaitTaskStartedIfItsThreadWas(second);
        assertThat(first.wasInterrupted() && second.wasInterrupted())
                .withFailMessage(
                        "when the caller is interrupted, every worker still running is interrupted too"
                                + " (worker-1: %s, worker-2: %s)",
                        first.wasInterrupted(), second.wasInterrupted())
                .isTrue();
        List<String> alive = run.aliveAtReturn();
        assertThat(alive)
                .withFailMessage(
                        "%s still alive when supervise() threw (interrupted, but still cleaning up, and its"
                                + " cleanup ends only once you wait for it): join the workers you interrupt, with join() and"
                                + " no timeout, even when giving up",
                        alive)
                .isEmpty();
    }

    @Test
    @Order(10)
    @DisplayName("10. A negative timeout is refused")
    void aNegativeTimeoutIsRejectedBeforeAnythingStarts(@Solution Supervisor solution) {
        Hand never = crew.returns("never");

        SupervisorRun run = crew.start(solution, Duration.ofSeconds(-1), never);
        run.awaitReturn();

        Throwable thrown = run.thrownByTheSolution();
        assertThat(thrown)
                .withFailMessage(
                        "a negative timeout must be rejected with IllegalArgumentException naming the"
                                + " timeout, but supervise() %s",
                        thrown == null ? "returned" : "threw " + thrown)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThat(run.startedWorkers())
                .withFailMessage("a worker was started although the input was bad: check the"
                        + " timeout before starting anything")
                .isZero();
    }

    @Test
    @Order(11)
    @DisplayName("11. A null task is refused")
    void aNullTaskIsRejectedBeforeAnythingStarts(@Solution Supervisor solution) {
        Hand never = crew.returns("never");

        SupervisorRun run = crew.start(solution, TIMEOUT, never, null);
        run.awaitReturn();

        Throwable thrown = run.thrownByTheSolution();
        assertThat(thrown)
                .withFailMessage(
                        "a null task must be rejected with NullPointerException, as Supervisor's javadoc"
                                + " says, but supervise() %s",
                        thrown == null ? "returned" : "threw " + thrown)
                .isInstanceOf(NullPointerException.class);
        assertThat(run.startedWorkers())
                .withFailMessage(
                        "a worker was started although a task was null: check every" + " task before starting any")
                .isZero();
    }

    @Test
    @Order(12)
    @DisplayName("12. No tasks, an empty account")
    void noTasksGiveAnEmptyAccount(@Solution Supervisor solution) {
        SupervisorRun run = crew.supervise(solution);

        List<Outcome<String>> account = run.account();
        if (!account.isEmpty()) {
            throw new AssertionError(
                    "no tasks gave the account " + account + ": no tasks, no workers, an empty" + " account");
        }
    }
}
