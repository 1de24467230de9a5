package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.locks.solution.ReferenceSafeCounter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 03.1 ({@link SafeCounter}), one test each. The lost update is decided by a
 * forced interleaving ({@link LostUpdates}): the counter's class is loaded again, in a class loader of
 * its own for each run, with a step before each read, write, lock and call; one thread is paused
 * before each of its steps in turn while the other runs its whole {@code increment()} (or waits for
 * the lock), so an order that loses an update is certainly run if the code allows one; no run
 * depends on a bad moment happening by luck. A lock left held is decided by construction too: with
 * nothing else running, a call that waits for a lock waits for one that nobody will release.
 */
@GradedExercise(
        value = "03.1 a counter that loses no update",
        learner = YourSafeCounter.class,
        reference = ReferenceSafeCounter.class)
@Timeout(20)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order of SafeCounter's javadoc
class SafeCounterSpec {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    @Order(1)
    @DisplayName("1. Counts every increment in one thread")
    void countsEveryIncrementInOneThread(@Solution SafeCounter counter) throws ReflectiveOperationException {
        for (int i = 0; i < 3; i++) {
            counter.increment(); // first, so that an untouched stub is "not started" at the method to write first
        }
        long got = counter.get();
        long start = counter.getClass().getDeclaredConstructor().newInstance().get();
        if (start != 0) {
            throw new AssertionError("a new counter's get() returned " + start + ": a new counter must start at 0");
        }
        if (got != 3) {
            throw new AssertionError("after 3 calls of increment() in one thread, get() returned " + got
                    + ": each increment() must add exactly 1");
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. No increment is lost when two threads increment at once")
    void noIncrementIsLostWhenTwoThreadsIncrementAtOnce(@Solution SafeCounter counter) throws InterruptedException {
        counter.increment(); // the untouched stub stops here, "not implemented yet"
        // First: a new counter's increment() in one thread, then in another. One that waits there
        // for good is told at once, with where it waited.
        SafeCounter fresh = newCounter(counter.getClass());
        runAlone("first incrementer", "increment() in one thread (nothing else running)", fresh::increment);
        runAlone(
                "second incrementer",
                "after increment() had returned in another thread (\"first incrementer\", which has ended),"
                        + " increment() in a second thread",
                fresh::increment);
        LostUpdates.Lost lost = LostUpdates.firstLostUpdate(counter.getClass(), PATIENCE);
        if (lost != null) {
            throw new AssertionError(
                    "an update was lost: two threads each called increment() once, at the same time, and then"
                            + " get() returned " + lost.got() + " instead of 2. The grading paused one thread"
                            + " before its step " + lost.step() + " in increment() (a step: a read or write of a"
                            + " field, a lock, a call) and let the other run its whole increment() meanwhile:"
                            + " both read the same count before either wrote it back. increment() must be one"
                            + " step for every other thread: hold a lock that every call shares (a final field"
                            + " of the counter, not a lock or an object made inside the call) from before the"
                            + " read to after the write, or use AtomicLong.incrementAndGet()",
                    null);
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. No call leaves a lock held")
    void noCallLeavesALockHeld(@Solution SafeCounter counter) throws InterruptedException {
        runAlone("first caller", "get(), increment(), get() in one thread (nothing else running)", () -> {
            counter.get();
            counter.increment();
            counter.get();
        });
        runAlone(
                "second caller",
                "after get(), increment(), get() had returned in another thread (\"first caller\","
                        + " which has ended), increment() in a second thread",
                counter::increment);
    }

    // Decided from the class file, not by running: a stale read is allowed by the memory model, not
    // promised, so no run can show it for certain (rule 2's interleaving lets each thread see the last
    // write); a read without the lock has no happens-before edge with the writer (a stale count, or
    // half of a long).
    @Test
    @Order(4)
    @DisplayName("4. get() reads the count under the lock that guards it")
    void getReadsTheCountUnderTheLockThatGuardsIt(@Solution SafeCounter counter) {
        counter.increment(); // the untouched stub stops here, "not implemented yet"
        counter.get();
        LockedReads.firstUnlockedRead(counter.getClass()).ifPresent(read -> {
            String where = read.reader() + "() reads the field " + read.field()
                    + (read.line() > 0 ? " (line " + read.line() + ")" : "");
            String fix = ". Read it under the lock the writes hold: " + read.advice()
                    + "; or declare the field volatile (its reads then see the last write), or use an AtomicLong";
            if (read.unlocked()) {
                throw new AssertionError(where + " without holding a lock, while " + read.writer()
                        + "() writes it holding " + read.writeLocks() + ". A read without the lock has no"
                        + " happens-before edge with the write: another thread may see an old count (and, for a"
                        + " plain long, even half of one)" + fix);
            }
            throw new AssertionError(where + " holding " + read.readLocks() + ", while " + read.writer()
                    + "() writes it holding " + read.writeLocks() + ": a different lock. Only the lock a write"
                    + " held, taken again by the reader, orders that write before the read (happens-before); under"
                    + " another lock, another thread may see an old count (and, for a plain long, even half of one)"
                    + fix);
        });
    }

    private static SafeCounter newCounter(Class<?> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (SafeCounter) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create a new " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static boolean parked(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("java.util.concurrent.locks.LockSupport")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the calls in a thread of their own, nothing else running, and fails if that thread waits for
     * a lock: nobody else can release it.
     */
    private static void runAlone(String name, String what, Runnable calls) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // A virtual thread: one stuck for good in a fixture's lock() is parked, holding no OS thread.
        Thread caller = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                calls.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!caller.join(Duration.ofMillis(20))) {
            Thread.State state = caller.getState();
            if (state == Thread.State.BLOCKED || (state == Thread.State.WAITING && parked(caller))) {
                caller.interrupt();
                throw new AssertionError(what + " waited for a lock that nobody will release (nothing else was"
                        + " running, so an earlier call left it held): a call left its lock held. Release every"
                        + " lock in finally, on every path (an early return, or an exception, skips an unlock()"
                        + " that is not in finally)");
            }
            if (System.nanoTime() > deadline) {
                caller.interrupt();
                throw new SolutionHung(SolutionHung.PREFIX + what + " did not return within " + PATIENCE.toSeconds()
                        + " s, and was not waiting for a lock (state " + state + ")");
            }
        }
        Throwable failure = thrown.get();
        if (failure instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new AssertionError(what + " threw " + failure + ": increment() and get() must not throw", failure);
        }
    }
}
