package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.gil.engine.GilClock;
import dev.threadlab.gil.engine.GilScenario;
import dev.threadlab.gil.engine.GilScenario.PythonThread;
import dev.threadlab.gil.engine.ManualGilClock.Wait;
import dev.threadlab.gil.solution.ReferenceHandOff;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of CPython's drop-request hand-off ({@code take_gil} and {@code drop_gil} in
 * {@code Python/ceval_gil.c}), checked on a {@code SwitchIntervalGil} whose clock only moves when
 * the test says so, with Python threads the test drives one step at a time. Every interleaving
 * here is forced, so each rule passes or fails the same way on every run and every machine.
 *
 * <p>In every test, worker-1 holds the GIL and worker-2 wants it. A state that cannot come about
 * any more (every thread waits on the GIL's clock or has done its steps) fails the rule at once,
 * saying where each thread is ({@link GilScenario#awaitUntil}); a thread that keeps running is told
 * once it has used 200 ms of CPU, one blocked elsewhere once {@link GilScenario#PATIENCE} runs out at
 * a moment no thread runs (never because the machine was slow), and then the later rules are skipped (common's {@code SolutionResolver}: {@link GilScenario.Stuck} is a {@code SolutionHung}).
 */
@GradedExercise(
        value = "05.3 the drop-request hand-off",
        learner = YourHandOff.class,
        reference = ReferenceHandOff.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20) // a correct hand-off needs milliseconds per rule; a hang is told after GilScenario.PATIENCE
class HandOffSpec {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private GilScenario scenario;

    @AfterEach
    void endAllThreads() throws InterruptedException {
        if (scenario != null) {
            scenario.close();
        }
    }

    /** worker-1 holds the GIL and worker-2 is waiting for it; returns worker-2's attach. */
    private static void check(boolean holds, String brokenRule) {
        if (!holds) {
            throw new AssertionError(brokenRule);
        }
    }

    private CompletableFuture<Void> holderAndWaiter(PythonThread holder, PythonThread waiter) {
        holder.attach().join();
        CompletableFuture<Void> waiting = waiter.attach();
        scenario.awaitUntil(
                waiter.name() + " never started waiting for the GIL on the GIL's clock "
                        + "(wait with gil.awaitDropUntil)",
                () -> scenario.clock.waitOf(waiter.thread()).isPresent());
        return waiting;
    }

    private void waitOneIntervalAndExpectADropRequest(PythonThread waiter, Duration interval) {
        scenario.clock.advance(interval);
        scenario.awaitUntil(
                "starvation: " + waiter.name() + " waited a full switch interval (" + interval.toMillis()
                        + " ms) for the GIL but never asked for it: after an interval with no switch, call gil.requestDrop()",
                scenario.gil::dropRequested);
    }

    /** After worker-2's drop request, worker-1 has reached its next check: did it hand the GIL over? */
    private void assertDroppedAndNotRetaken(long dropsBefore, boolean holderRanOnAlone) {
        check(
                scenario.gil.drops() > dropsBefore,
                "starvation: worker-1 ran its next chunk without dropping the GIL although"
                        + " worker-2 had asked (drop request set): yieldGil must drop it (gil.drop())");
        check(
                !holderRanOnAlone,
                "worker-1 re-took the GIL: it dropped it at worker-2's request, then took it back before"
                        + " worker-2 (signalled, but not yet running) ever had it, and ran on. After dropping, wait until another"
                        + " thread has taken it (gil.awaitTakeover(), CPython's FORCE_SWITCHING)");
    }

    /** worker-1 holds the GIL; worker-2 waited a full interval and asked for it. */
    private record Asked(
            PythonThread holder, PythonThread waiter, CompletableFuture<Void> waiterHasIt, long dropsBefore) {}

    private Asked waiterHasAsked(HandOff solution) {
        scenario = new GilScenario(solution, INTERVAL);
        PythonThread holder = scenario.thread("worker-1");
        PythonThread waiter = scenario.thread("worker-2");
        CompletableFuture<Void> waiterHasIt = holderAndWaiter(holder, waiter);
        waitOneIntervalAndExpectADropRequest(waiter, INTERVAL);
        return new Asked(holder, waiter, waiterHasIt, scenario.gil.drops());
    }

    @ParameterizedTest(name = "{displayName}, switch interval {0} ms")
    @Order(1)
    @DisplayName("1. A waiter asks only after a full switch interval")
    @ValueSource(longs = {1, 5, 20})
    void aWaiterAsksForTheGilOnlyAfterAFullSwitchInterval(long intervalMillis, @Solution HandOff solution) {
        Duration interval = Duration.ofMillis(intervalMillis);
        scenario = new GilScenario(solution, interval);
        PythonThread holder = scenario.thread("worker-1");
        PythonThread waiter = scenario.thread("worker-2");
        long startedWaiting = scenario.clock.nanoTime();

        holderAndWaiter(holder, waiter);

        check(
                !scenario.gil.dropRequested(),
                "ignoring the interval: worker-2 asked for a drop at once, before waiting" + " the switch interval ("
                        + intervalMillis + " ms); CPython's take_gil waits an interval first");
        Wait wait = scenario.clock.waitOf(waiter.thread()).orElseThrow();
        check(
                wait.deadlineNanos() != GilClock.NO_DEADLINE,
                "starvation: worker-2 waits for the GIL with no deadline"
                        + " (Long.MAX_VALUE), so it never asks worker-1 to drop it; wait at most one switch interval:"
                        + " gil.awaitDropUntil(gil.nanoTime() + gil.switchIntervalNanos())");
        long waited = wait.deadlineNanos() - startedWaiting;
        check(
                waited == interval.toNanos(),
                "worker-2's wait for the GIL must last one switch interval"
                        + " (gil.switchIntervalNanos() = " + interval.toNanos() + " ns, here " + intervalMillis
                        + " ms), but"
                        + " it waits until " + GilScenario.at(wait.deadlineNanos()) + " on the GIL's clock, " + waited
                        + " ns after"
                        + " it started waiting (at " + GilScenario.at(startedWaiting) + ")"
                        + factor(waited, interval.toNanos())
                        + ": wait until gil.nanoTime() + gil.switchIntervalNanos()");
        waitOneIntervalAndExpectADropRequest(waiter, interval);
    }

    /** @return ", 1000 times the switch interval" and the like when one is a whole multiple of the other */
    private static String factor(long waited, long interval) {
        if (waited > interval && waited % interval == 0) {
            return ", " + waited / interval + " times the switch interval";
        }
        if (waited > 0 && waited < interval && interval % waited == 0) {
            return ", 1/" + interval / waited + " of the switch interval";
        }
        return "";
    }

    @Test
    @Order(2)
    @DisplayName("2. Having asked, a waiter waits until a fresh deadline")
    void aWaiterThatHasAskedGoesOnWaitingUntilAFreshDeadline(@Solution HandOff solution) {
        Asked asked = waiterHasAsked(solution);
        PythonThread waiter = asked.waiter();

        scenario.awaitUntil(
                "worker-2 asked for a drop, then did not go on waiting for the GIL until a new deadline "
                        + "(one more switch interval from gil.nanoTime())",
                () -> scenario.clock
                        .waitOf(waiter.thread())
                        .map(w -> w.deadlineNanos() > scenario.clock.nanoTime())
                        .orElse(false));
        check(
                !asked.waiterHasIt().isDone(),
                "worker-2 got the GIL although worker-1 has not dropped it: awaitGil must"
                        + " return only once the GIL is free");
    }

    @Test
    @Order(3)
    @DisplayName("3. A spurious wake-up is no reason to ask")
    void aWaiterWokenForNoReasonDoesNotAskBeforeTheIntervalHasPassed(@Solution HandOff solution) {
        scenario = new GilScenario(solution, INTERVAL);
        PythonThread holder = scenario.thread("worker-1");
        PythonThread waiter = scenario.thread("worker-2");
        holderAndWaiter(holder, waiter);
        check(
                !scenario.gil.dropRequested(),
                "ignoring the interval: worker-2 asked for a drop at once, before waiting" + " the switch interval ("
                        + INTERVAL.toMillis() + " ms); CPython's take_gil waits an interval first");
        Wait before = scenario.clock.waitOf(waiter.thread()).orElseThrow();

        scenario.clock.release(waiter.thread()); // a spurious wake-up: no signal, no timeout, no time passed
        scenario.awaitUntil(
                "worker-2 woke up for no reason (a spurious wake-up) and did not go on waiting for the GIL",
                () -> scenario.clock
                        .waitOf(waiter.thread())
                        .map(w -> w.number() > before.number())
                        .orElse(false));

        check(
                !scenario.gil.dropRequested(),
                "worker-2 asked for a drop after a spurious wake-up, before its switch"
                        + " interval (" + INTERVAL.toMillis()
                        + " ms) had passed: awaitDropUntil returned true (woken before the"
                        + " deadline). Ask only when it returns false (timed out)");
    }

    @Test
    @Order(4)
    @DisplayName("4. No drop request after a switch")
    void aWaiterDoesNotAskWhenTheGilChangedHandsDuringItsWait(@Solution HandOff solution) {
        scenario = new GilScenario(solution, INTERVAL);
        PythonThread holder = scenario.thread("worker-1");
        PythonThread first = scenario.thread("worker-2");
        PythonThread second = scenario.thread("worker-3");
        holder.attach().join();
        CompletableFuture<Void> firstHasIt = first.attach();
        CompletableFuture<Void> secondHasIt = second.attach();
        scenario.awaitUntil(
                "worker-2 and worker-3 never both waited for the GIL on the GIL's clock",
                () -> scenario.clock.waitOf(first.thread()).isPresent()
                        && scenario.clock.waitOf(second.thread()).isPresent());
        scenario.clock.advance(INTERVAL.dividedBy(2));
        // A waiter whose wait that advance ended (an interval shorter than the GIL's) is back in a
        // wait before worker-1 drops the GIL: which comes first is not left to the scheduler (it
        // was: a fresh JVM and a warm one gave HardCodedInterval different verdicts here).
        scenario.awaitUntil(
                "worker-2 and worker-3 did not go back to waiting for the GIL on the GIL's clock",
                () -> java.util.stream.Stream.of(first, second)
                        .allMatch(t -> scenario.clock
                                .waitOf(t.thread())
                                .map(w -> w.deadlineNanos() > scenario.clock.nanoTime())
                                .orElse(false)));
        CountDownLatch ioDone = new CountDownLatch(1);

        holder.step(
                "blocking I/O",
                () -> scenario.gil.withoutGil(() -> scenario.blockUntil(ioDone))); // drops the GIL: one waiter takes it
        scenario.awaitUntil(
                "worker-1 dropped the GIL for I/O but neither waiter took it",
                () -> firstHasIt.isDone() || secondHasIt.isDone());
        PythonThread other = firstHasIt.isDone() ? second : first;
        scenario.clock.advance(INTERVAL.dividedBy(2)); // the other waiter's interval ends
        scenario.awaitUntil(
                other.name() + " did not go on waiting after its interval ended",
                () -> scenario.clock
                        .waitOf(other.thread())
                        .map(w -> w.deadlineNanos() > scenario.clock.nanoTime())
                        .orElse(false));

        check(
                !scenario.gil.dropRequested(),
                other.name() + " asked for a drop although the GIL changed hands during its"
                        + " wait (gil.switchNumber() moved): it would take the GIL from a thread that has only just got it. Start"
                        + " a new interval instead");
        ioDone.countDown();
    }

    @Test
    @Order(5)
    @DisplayName("5. The holder drops the GIL and gets it back")
    void theHolderDropsTheGilAtItsNextCheckAndGetsItBackWhenTheWaiterIsDone(@Solution HandOff solution) {
        Asked asked = waiterHasAsked(solution);
        PythonThread holder = asked.holder();
        CompletableFuture<Void> waiterHasIt = asked.waiterHasIt();

        CompletableFuture<Void> nextChunk = holder.step("next chunk", () -> scenario.gil.runBytecode(() -> {}));

        scenario.awaitUntil(
                "worker-2 asked for the GIL but never got it", () -> waiterHasIt.isDone() || nextChunk.isDone());
        assertDroppedAndNotRetaken(asked.dropsBefore(), !waiterHasIt.isDone());
        asked.waiter().detach();
        scenario.awaitUntil(
                "worker-2 detached, but worker-1 never got the GIL back to run its chunk", nextChunk::isDone);
        check(
                scenario.gil.holder() == holder.thread(),
                "worker-1 ran its next chunk, but without holding the GIL:"
                        + " yieldGil must return holding it (gil.take())");
    }

    @Test
    @Order(6)
    @DisplayName("6. The holder waits until the waiter has had the GIL")
    void theHolderDoesNotTakeTheGilBackBeforeTheWaiterHasHadIt(@Solution HandOff solution) {
        Asked asked = waiterHasAsked(solution);
        PythonThread holder = asked.holder();
        PythonThread waiter = asked.waiter();
        // worker-2 is slow to wake (signalled, but the OS has not run it yet); worker-1 is on a CPU.
        scenario.clock.hold(waiter.thread());
        AtomicBoolean holderRanOn = new AtomicBoolean();

        CompletableFuture<Void> nextChunk =
                holder.step("next chunk", () -> scenario.gil.runBytecode(() -> holderRanOn.set(true)));

        scenario.awaitUntil(
                "worker-1 neither ran its chunk nor waited for worker-2 to take the GIL",
                () -> nextChunk.isDone()
                        || scenario.clock.waitOf(holder.thread()).isPresent());
        assertDroppedAndNotRetaken(asked.dropsBefore(), holderRanOn.get());
        scenario.clock.release(waiter.thread());
        scenario.awaitUntil("worker-2 was let go but never took the GIL", asked.waiterHasIt()::isDone);
        waiter.detach();
        scenario.awaitUntil("worker-1 never got the GIL back", nextChunk::isDone);
    }
}
