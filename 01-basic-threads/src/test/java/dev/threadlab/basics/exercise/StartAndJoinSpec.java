package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.Stage.Entry;
import dev.threadlab.basics.exercise.Stage.Print;
import dev.threadlab.basics.solution.ReferenceStartAndJoin;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.Words;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The grading specification of exercise 01 ({@link StartAndJoin}): one test per rule of its
 * javadoc. Every verdict is decided by construction, on a {@link Stage}: the tasks are held at a
 * gate and released only for a caller that waits for them, so a thread the caller did not wait
 * for is certainly still running when it prints. Nothing here waits for time to pass; the bounds
 * ({@link Stage#PATIENCE}) only run out for a solution that hangs, and the first hang's diagnosis
 * stands for the rules after it, which are then not run again.
 */
@GradedExercise(
        value = "01.1 start, run and join threads",
        learner = YourStartAndJoin.class,
        reference = ReferenceStartAndJoin.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20)
class StartAndJoinSpec {

    private static final int THREADS = 3;

    private Stage stage;

    @AfterEach
    void nothingOutlivesTheRule() {
        if (stage != null) {
            stage.close();
        }
    }

    /** A new stage for this rule, started with {@code solution} unless it is null. */
    private Stage stage(StartAndJoin solution, boolean held) {
        if (stage != null) {
            stage.close();
        }
        stage = new Stage(THREADS, held);
        if (solution != null) {
            stage.start(solution);
        }
        return stage;
    }

    /** Fails at once if the task ran on the calling thread, or if runAll threw. */
    private static void assertRanNothingOnTheCaller(Stage stage) {
        Entry onCaller = stage.ranOnTheCaller();
        if (onCaller != null) {
            throw new AssertionError("the task ran on the calling thread \"caller\": run() executes the body"
                    + " right here, on the caller; start() makes a new thread that runs it");
        }
    }

    private static void assertDidNotThrow(Stage stage) {
        Throwable thrown = stage.thrown();
        if (thrown instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (thrown != null) {
            throw new AssertionError(
                    "runAll(" + THREADS + ", task, console) threw " + thrown
                            + ": with threads >= 1 it runs the task, waits and prints, and throws nothing",
                    thrown);
        }
    }

    /** A hang (the spec's later rules are then skipped), with where the threads were. */
    private static AssertionError hang(Stage stage, String what) {
        return new SolutionHung(what + " within " + Stage.PATIENCE.toSeconds() + " s, though a correct"
                + " solution needs no time here.\nWhere the threads were:\n" + stage.whereTheThreadsWere());
    }

    /** The message for a caller that spins instead of waiting (a loop on isAlive()). */
    static final String SPINS = "runAll kept running without waiting for the threads: the \"caller\" thread used more"
            + " than " + Stage.SPIN_CPU.toMillis() + " ms of CPU, never waiting, while every task was still running"
            + " (the grader lets a task end only once runAll waits for it, so nothing it polls can change). A loop on"
            + " isAlive(), with onSpinWait() or not, is a busy wait: it burns a core and never waits; wait with join(),"
            + " no timeout";

    /**
     * {@code solution} loaded again with its timed waits routed through {@link TimedWaits}: the
     * first {@code TimedWaitRouting.TRIES - 1} timed waits on a thread still running run out at once,
     * the {@code TRIES}th has no time limit. Decides what a timed wait means by construction, not by how long it lasted.
     */
    static StartAndJoin withTimedWaitsRouted(StartAndJoin solution) {
        return TimedWaits.routed(solution, StartAndJoin.class);
    }

    /**
     * The end of the give-up message: what to wait with instead, in the idiom of what runAll gave up
     * on ({@link TimedWaits}): a pool is closed or shut down and awaited, a Future got with no
     * timeout, a thread (or a latch its threads count down) joined with no timeout.
     */
    static String insteadOfTheGiveUp(Thread caller) {
        List<Object> gaveUpOn = TimedWaits.gaveUpOn(caller);
        for (Object on : gaveUpOn) {
            if (on instanceof ExecutorService pool) {
                return " waits again until the pool has terminated): "
                        + (pool.isShutdown()
                                ? "close() the pool before printing (try-with-resources), or loop until"
                                        + " awaitTermination returns true"
                                : "awaitTermination waits only for a pool that was shut down, and this one never"
                                        + " was: close() the pool before printing (try-with-resources: it shuts the"
                                        + " pool down, then waits for every task), or shutdown() it, then loop until"
                                        + " awaitTermination returns true");
            }
        }
        for (Object on : gaveUpOn) {
            if (on instanceof Future) {
                return " waits again until the Future is done): get() every Future before printing, with no"
                        + " timeout, or close() the pool (try-with-resources)";
            }
        }
        return " waits again until the thread has ended): join() every thread you started before printing, with"
                + " no timeout, or loop until join(Duration) returns true";
    }

    @Test
    @Order(1)
    @DisplayName("1. Once on each new thread")
    void theTaskRunsOnceOnEachOfTheNewThreads(@Solution StartAndJoin solution) throws InterruptedException {
        Stage stage = stage(solution, false);

        if (!stage.awaitReturn()) {
            assertRanNothingOnTheCaller(stage);
            throw hang(stage, "runAll(" + THREADS + ", ...) did not return, with tasks that end at once,");
        }
        assertRanNothingOnTheCaller(stage);
        assertDidNotThrow(stage);
        List<Entry> runs = stage.awaitEntries().ran(); // read once; runs a solution did not wait for may still come
        assertRanNothingOnTheCaller(stage);

        if (runs.size() < THREADS) {
            throw new AssertionError(
                    "the task ran " + Words.of(runs.size(), "time") + " for " + THREADS + " threads, and no"
                            + " thread was left to run it again after runAll returned: a thread runs its task only once"
                            + " start() is called, so start() every thread you create");
        }
        if (runs.size() > THREADS) {
            throw new AssertionError("the task ran " + runs.size() + " times for " + THREADS + " threads: run it"
                    + " once on each thread");
        }
        // How many distinct threads ran the tasks is not judged here: a pool may reuse a thread whose task
        // ended at once, depending on timing. That the threads run at the same time (so each on its own)
        // is the next rule's, decided with held tasks.
    }

    @Test
    @Order(2)
    @DisplayName("2. All at the same time")
    void theThreadsRunAtTheSameTime(@Solution StartAndJoin solution) throws InterruptedException {
        Stage stage = stage(solution, true); // nothing is released: all must be running at once

        Stage.Entries running = stage.awaitEntries();

        assertRanNothingOnTheCaller(stage);
        assertDidNotThrow(stage);
        int ran = running.ran().size();
        switch (running.stop()) {
            case ALL_RAN, ON_THE_CALLER -> {}
            case RETURNED_AND_NO_THREAD_LEFT ->
                throw new AssertionError("the task ran " + Words.of(ran, "time") + " for "
                        + THREADS
                        + " threads, and no thread was left to run it after runAll returned: a thread runs its"
                        + " task only once start() is called, so start() every thread you create");
            case WAITS_AND_NO_THREAD_LEFT ->
                throw new AssertionError("runAll waited while only " + ran + " of the "
                        + THREADS + " tasks " + Words.was(ran)
                        + " running, and no other thread was there to run the rest (each task kept"
                        + " running until the grader let it end): start every thread before joining any. start(); join();"
                        + " in one loop, or a pool with fewer threads than tasks, runs them one after another");
            case OUT_OF_PATIENCE ->
                throw hang(
                        stage,
                        "only " + ran + " of the " + THREADS + " tasks " + Words.was(ran) + " running"
                                + " (each task kept running until the grader let it end; start every thread before waiting for"
                                + " any), and runAll neither returned nor waited for a thread that had run the task,");
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. Printed after every thread has finished")
    void threadsCompletedIsPrintedOnlyAfterEveryThreadHasFinished(@Solution StartAndJoin solution)
            throws InterruptedException {
        Stage stage = stage(withTimedWaitsRouted(solution), true);

        boolean ended = stage.driveUntilReturn();

        assertRanNothingOnTheCaller(stage);
        List<Print> prints = stage.prints();
        Print early = prints.stream()
                .filter(p -> p.finishedBefore() < THREADS)
                .findFirst()
                .orElse(null);
        if (early != null) {
            stage.releaseAll();
            stage.awaitReturn();
            List<Entry> ran = stage.awaitEntries().ran();
            int neverRan = THREADS - ran.size();
            int stillRunning = ran.size() - early.finishedBefore();
            StringBuilder why = new StringBuilder("\"" + early.text() + "\" was printed when only "
                    + early.finishedBefore() + " of the " + THREADS + " tasks had finished");
            if (stillRunning > 0 && TimedWaits.gaveUp(stage.caller())) {
                why.append("; ")
                        .append(stillRunning)
                        .append(' ')
                        .append(Words.was(stillRunning))
                        .append(" still running, and runAll had given up on a timed wait (the grader let each")
                        .append(" task end only once runAll waited for it, and takes a join(ms), get(timeout) or")
                        .append(" awaitTermination as one that runs out at once, whatever its length, unless runAll")
                        .append(insteadOfTheGiveUp(stage.caller()));
            } else if (stillRunning > 0) {
                why.append("; ")
                        .append(stillRunning)
                        .append(' ')
                        .append(Words.was(stillRunning))
                        .append(" still running (the grader let each task end only once runAll waited for it,")
                        .append(" and runAll printed without waiting for it):")
                        .append(" join() every thread you started before printing, with no timeout (with an")
                        .append(" ExecutorService: close() it, or get() every Future)");
            }
            if (neverRan > 0) {
                why.append("; ")
                        .append(neverRan)
                        .append(" never ran at all: a thread runs its task only once")
                        .append(" start() is called, so start() every thread you create");
            }
            throw new AssertionError(why.toString());
        }
        if (stage.spun()) {
            throw new AssertionError(SPINS);
        }
        if (!ended) {
            throw hang(
                    stage,
                    "runAll(" + THREADS + ", ...) neither printed nor returned, though the grader let"
                            + " each task end as soon as runAll waited for it,");
        }
        assertDidNotThrow(stage);
        List<String> texts = prints.stream().map(Print::text).toList();
        if (!texts.equals(List.of("Threads completed."))) {
            throw new AssertionError("runAll printed " + texts + ": print exactly \"Threads completed.\", once,"
                    + " after every thread has finished");
        }
        if (!prints.get(0).thread().equals("caller")) {
            throw new AssertionError("\"Threads completed.\" was printed by thread \""
                    + prints.get(0).thread()
                    + "\", not by the thread that called runAll: print it in runAll itself, after the joins");
        }
    }

    @Test
    @Order(4)
    @DisplayName("4. Fewer than one thread is refused")
    void fewerThanOneThreadIsRefusedWithAClearError(@Solution StartAndJoin solution) throws InterruptedException {
        for (int bad : new int[] {0, -7}) {
            Stage stage = stage(null, false);
            AtomicInteger ran = new AtomicInteger();
            Console console = Console.recording();
            stage.start(() -> solution.runAll(bad, ran::incrementAndGet, console));
            String call = "runAll(" + bad + ", ...)";
            if (!stage.awaitReturn()) {
                throw hang(stage, call + " did not return or throw");
            }
            Throwable thrown = stage.thrown();
            if (thrown instanceof NotImplementedYet notYet) {
                throw notYet;
            }
            if (!(thrown instanceof IllegalArgumentException)) {
                throw new AssertionError(call + " should throw IllegalArgumentException, but it "
                        + (thrown == null ? "returned" : "threw " + thrown)
                        + ": check threads < 1 first, before starting anything");
            }
            String message = String.valueOf(thrown.getMessage());
            if (!message.toLowerCase(Locale.ROOT).contains("thread") || !message.contains(String.valueOf(bad))) {
                throw new AssertionError(call + " threw IllegalArgumentException(\"" + message + "\"): the message"
                        + " names the parameter and its bad value, e.g. \"threads must be at least 1, was " + bad
                        + "\"");
            }
            if (ran.get() != 0 || !console.lines().isEmpty()) {
                throw new AssertionError(call + " threw as it should, but only after it had run the task or printed:"
                        + " check threads < 1 before starting anything");
            }
            stage.close();
        }
    }
}
