package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.gil.exercise.ThreadWatch.Call;
import dev.threadlab.gil.solution.ReferenceAllowThreads;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 05.2 ({@link AllowThreads}), one test each, on a GIL whose holder and queue
 * the test can see ({@link SeenGil}). "python-1" calls {@code blockingCall}; its call blocks until
 * the test lets it return ({@link HeldCall}); "python-2" takes the GIL when the test says so. Every
 * verdict is a state that cannot change any more: python-2 queued for a GIL held by python-1 while
 * python-1's call is held; python-1 returned while python-2 holds the GIL; what python-1 holds
 * after its call.
 */
@GradedExercise(
        value = "05.2 release it while you wait: the GIL around a blocking call",
        learner = YourAllowThreads.class,
        reference = ReferenceAllowThreads.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20) // a correct blockingCall needs milliseconds per rule; a hang is told after ThreadWatch.PATIENCE
class AllowThreadsSpec {

    /** A GIL whose holder the test can name (a ReentrantLock's owner is protected). */
    static final class SeenGil extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        /** @return the thread holding the GIL, or null */
        Thread holder() {
            return getOwner();
        }

        /** @return the holder's name in quotes, or "nobody" */
        String holderName() {
            Thread holder = getOwner();
            return holder == null ? "nobody" : "\"" + holder.getName() + "\"";
        }
    }

    /**
     * The blocking call the test gives: it records that it was made, and whether its thread held the
     * GIL meanwhile; then it returns {@link #DATA}, throws, or waits until {@link #release()}.
     */
    static final class HeldCall implements Callable<String> {
        static final String DATA = "data";

        private final boolean held;
        private final Throwable failure;
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);

        private HeldCall(boolean held, Throwable failure) {
            this.held = held;
            this.failure = failure;
        }

        /** A call that waits until {@link #release()}, then returns {@link #DATA}. */
        static HeldCall held() {
            return new HeldCall(true, null);
        }

        /** A call that returns {@link #DATA} at once. */
        static HeldCall quick() {
            return new HeldCall(false, null);
        }

        /** A call that throws {@code failure} at once. */
        static HeldCall failing(Throwable failure) {
            return new HeldCall(false, failure);
        }

        @Override
        public String call() throws Exception {
            started.countDown();
            if (held) {
                inGate = true;
                try {
                    gate.await();
                } finally {
                    inGate = false;
                }
            }
            if (failure instanceof Exception exception) {
                throw exception;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return DATA;
        }

        boolean made() {
            return started.getCount() == 0;
        }

        boolean blocked() {
            return made() && gate.getCount() > 0;
        }

        void release() {
            gate.countDown();
        }

        private volatile boolean inGate;

        /** @return whether the call was let go but has not left its gate yet: it certainly goes on */
        boolean letGoButNotGoneYet() {
            return inGate && gate.getCount() == 0;
        }
    }

    /** What python-1 held once {@code blockingCall} was over: its hold count on the GIL. */
    private static final class After {
        private volatile int holds = -1;
    }

    private final ThreadWatch watch = new ThreadWatch();
    private final SeenGil gil = new SeenGil();

    @AfterEach
    void endAllThreads() throws InterruptedException {
        watch.close();
    }

    /** python-1: takes the GIL if {@code holding}, calls blockingCall, notes what it holds after, lets go. */
    private Call python1(AllowThreads solution, HeldCall call, boolean holding, After after) {
        watch.onClose(call::release);
        watch.movesWhile(call::letGoButNotGoneYet);
        return watch.start("python-1", () -> {
            if (holding) {
                gil.lockInterruptibly();
            }
            try {
                return solution.blockingCall(gil, call);
            } finally {
                after.holds = gil.getHoldCount();
                while (gil.isHeldByCurrentThread()) {
                    gil.unlock();
                }
            }
        });
    }

    /** python-2: takes the GIL, then keeps it until {@code letGo} is counted down. */
    private Call python2(CountDownLatch letGo) {
        watch.onClose(letGo::countDown);
        java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean();
        watch.movesWhile(() -> waiting.get() && letGo.getCount() == 0); // let go, not gone yet
        return watch.start("python-2", () -> {
            gil.lockInterruptibly();
            try {
                waiting.set(true);
                letGo.await();
            } finally {
                waiting.set(false);
                gil.unlock();
            }
            return null;
        });
    }

    /** python-1 holds the GIL and is blocked in its call; python-2 has taken the GIL meanwhile. */
    private Call python2TakesTheGilDuringTheCall(Call python1, HeldCall call, CountDownLatch letGo) {
        watch.awaitUntil(
                "python-1's blocking call to be made",
                call::made,
                () -> python1.done()
                        ? "blockingCall " + python1.ending() + " without making the call it was given: make it"
                                + " (call.call()) and return what it returns"
                        : null);
        Call python2 = python2(letGo);
        watch.awaitUntil("python-2 to take the GIL", () -> gil.holder() == python2.thread(), () -> {
            Thread holder = gil.holder(); // waiting (in the held call, or for it): it cannot let go now
            if (gil.hasQueuedThread(python2.thread())
                    && call.blocked()
                    && holder != null
                    && holder.getState() != Thread.State.RUNNABLE) {
                return "python-2 could not take the GIL while python-1 was blocked in its call: the GIL is still held"
                        + " by " + gil.holderName() + ". Let go of it before the call (gil.unlock()), so that other"
                        + " threads run meanwhile: that is how I/O-bound threads overlap under a GIL";
            }
            return null;
        });
        return python2;
    }

    /**
     * python-1 calls blockingCall holding the GIL; python-2 takes the GIL during the call and keeps it
     * until {@code letGo}; the call is let go, and python-1 is then seen waiting for the GIL.
     *
     * @return python-1's call
     */
    private Call python1WaitsForTheGilAfterTheCall(
            AllowThreads solution, HeldCall call, After after, CountDownLatch letGo) {
        Call python1 = python1(solution, call, true, after);
        python2TakesTheGilDuringTheCall(python1, call, letGo);

        call.release();
        watch.awaitUntil(
                "python-1 to wait for the GIL",
                () -> gil.hasQueuedThread(python1.thread()),
                () -> python1.done()
                        ? "blockingCall " + python1.ending()
                                + " while python-2 held the GIL: python-1 went on without it."
                                + " Take the GIL back after the call (gil.lock(), which waits while another thread has it)"
                        : null);
        return python1;
    }

    @Test
    @Order(1)
    @DisplayName("1. The GIL is free while the call blocks")
    void anotherThreadTakesTheGilWhileTheCallBlocks(@Solution AllowThreads solution) {
        HeldCall call = HeldCall.held();
        Call python1 = python1(solution, call, true, new After());

        python2TakesTheGilDuringTheCall(python1, call, new CountDownLatch(1));
    }

    @Test
    @Order(2)
    @DisplayName("2. The GIL is taken back before the call returns")
    void theGilIsTakenBackBeforeTheCallReturns(@Solution AllowThreads solution) {
        HeldCall call = HeldCall.held();
        After after = new After();
        CountDownLatch letGo = new CountDownLatch(1);
        Call python1 = python1WaitsForTheGilAfterTheCall(solution, call, after, letGo);
        letGo.countDown();
        watch.awaitDone(python1, "blockingCall to return", () -> null);

        check(
                python1.failure() == null,
                "blockingCall threw " + python1.failure() + ", but the call returned \"" + HeldCall.DATA
                        + "\": return what the call returned");
        check(
                after.holds == 1,
                "blockingCall returned with python-1 holding the GIL " + after.holds + " times (hold count "
                        + after.holds + "), but python-1 held it once before the call: take it back once");
        check(
                HeldCall.DATA.equals(python1.result()),
                "blockingCall returned " + shown(python1.result()) + ", but the call returned \"" + HeldCall.DATA
                        + "\": return what the call returned");
    }

    @Test
    @Order(3)
    @DisplayName("3. The GIL is taken back when the call throws")
    void theGilIsTakenBackWhenTheCallThrows(@Solution AllowThreads solution) {
        IOException failure = new IOException("connection reset (thrown on purpose by the grading)");
        HeldCall call = HeldCall.failing(failure);
        After after = new After();
        Call python1 = python1(solution, call, true, after);

        watch.awaitDone(python1, "blockingCall to end", () -> null);

        check(call.made(), "blockingCall " + python1.ending() + " without making the call it was given: make it");
        check(
                after.holds >= 1,
                "blockingCall let the call's IOException through without taking the GIL back: python-1 no longer"
                        + " holds it. Take it back in a finally block, so that it is taken back however the call ends");
        check(
                python1.failure() != null,
                "blockingCall returned " + shown(python1.result()) + " although the call threw " + failure
                        + ": let the call's exception through");
        check(
                python1.failure() == failure,
                "blockingCall threw " + python1.failure() + ", but the call threw " + failure + ": let the call's own"
                        + " exception through, unchanged: catch nothing and take the GIL back in a finally block, or"
                        + " rethrow the very exception you caught");
        check(
                after.holds == 1,
                "after the call threw, python-1 held the GIL " + after.holds + " times (hold count " + after.holds
                        + "), but it held it once before the call: take it back once");

        // The same with an Error: a catch of Exception does not see it, a finally block does.
        AssertionError error = new AssertionError("an Error thrown on purpose by the grading");
        HeldCall failing = HeldCall.failing(error);
        After afterTheError = new After();
        Call again = python1(solution, failing, true, afterTheError);
        watch.awaitDone(again, "blockingCall to end", () -> null);
        check(
                afterTheError.holds >= 1,
                "blockingCall let the call's " + error + " through without taking the GIL back: python-1 no"
                        + " longer holds it. A call may throw an Error too, which a catch of Exception does not"
                        + " see: take the GIL back in a finally block, so that it is taken back however the call ends");
        check(
                again.failure() == error,
                "blockingCall " + again.ending() + ", but the call threw " + error + ": let whatever the call"
                        + " throws through, unchanged (a finally block catches nothing)");
    }

    @Test
    @Order(4)
    @DisplayName("4. A thread that does not hold the GIL is refused")
    void aThreadThatDoesNotHoldTheGilIsRefused(@Solution AllowThreads solution) {
        HeldCall call = HeldCall.quick();
        After after = new After();
        Call python1 = python1(solution, call, false, after);

        watch.awaitDone(python1, "blockingCall to end", () -> null);

        check(
                !call.made(),
                "blockingCall made the call for python-1, which did not hold the GIL: a thread that does not hold the"
                        + " GIL may not use it. Refuse before the call: gil.unlock() throws"
                        + " IllegalMonitorStateException for a thread that does not hold it");
        check(
                after.holds == 0,
                "blockingCall left python-1 holding the GIL, which it did not hold when it called: take back only"
                        + " a GIL you let go (gil.unlock() before the try, not inside it, so that the finally block"
                        + " never runs for a GIL that was not let go)");
        check(
                python1.failure() instanceof IllegalMonitorStateException,
                "blockingCall, called by a thread that does not hold the GIL, must throw IllegalMonitorStateException"
                        + " (what gil.unlock() throws), but it " + python1.ending());
    }

    @Test
    @Order(5)
    @DisplayName("5. The GIL is taken back even if the thread is interrupted")
    void theGilIsTakenBackEvenIfTheThreadIsInterrupted(@Solution AllowThreads solution) {
        HeldCall call = HeldCall.held();
        After after = new After();
        CountDownLatch letGo = new CountDownLatch(1);
        Call python1 = python1WaitsForTheGilAfterTheCall(solution, call, after, letGo);
        python1.thread().interrupt(); // python-1 waits for the GIL, which python-2 keeps: it must go on waiting
        watch.awaitUntil(
                "python-1 to wait for the GIL after the interrupt",
                () -> gil.hasQueuedThread(python1.thread()) || python1.done(),
                () -> null);
        letGo.countDown();
        watch.awaitDone(python1, "blockingCall to return", () -> null);

        check(
                after.holds == 1,
                "python-1 was interrupted while it waited to take the GIL back, and blockingCall "
                        + python1.ending() + " with python-1 holding the GIL " + after.holds + " times: it must"
                        + " return holding the GIL once however it ends, interrupted or not. Take it back with"
                        + " gil.lock(), which waits through an interrupt (and leaves it pending), not"
                        + " lockInterruptibly()");
        check(
                HeldCall.DATA.equals(python1.result()),
                "python-1 was interrupted while it waited to take the GIL back, and blockingCall "
                        + python1.ending() + ", but the call returned \"" + HeldCall.DATA + "\": take the GIL back"
                        + " with gil.lock(), which waits through an interrupt, and return what the call returned");
    }

    private static String shown(Object value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static void check(boolean holds, String brokenRule) {
        if (!holds) {
            throw new AssertionError(brokenRule);
        }
    }
}
