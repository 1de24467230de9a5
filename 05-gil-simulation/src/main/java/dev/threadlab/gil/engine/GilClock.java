package dev.threadlab.gil.engine;

import dev.threadlab.common.time.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The time a simulated GIL sees, and the one way its threads wait: on a condition, until it is
 * signalled or a deadline on this clock passes. CPython's {@code take_gil} waits exactly like this
 * ({@code COND_TIMED_WAIT(gil->cond, gil->mutex, interval)} in {@code Python/ceval_gil.c});
 * routing the wait through an interface lets a test drive the deadline by hand, so "the waiter
 * asks for the GIL after 5 ms" is checked without waiting 5 ms, and without a race.
 *
 * <p>{@link #system()} is the real thing, for demos and benchmarks. The module's tests use a
 * manual clock whose {@code advance} wakes every waiter whose deadline it passes.
 *
 * <p>Implementations must be thread-safe.
 */
public interface GilClock extends Ticker {

    /** A deadline that never comes: wait until signalled. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * Waits on {@code condition} until it is signalled, or until {@link #nanoTime()} reaches
     * {@code deadlineNanos}. Like {@link Condition#await()}, it may also return for no reason (a
     * spurious wake-up), so callers wait in a loop that re-checks what they wait for.
     *
     * @param lock          the lock {@code condition} belongs to; the caller must hold it (it is
     *                      released while waiting and held again on return)
     * @param condition     what to wait on
     * @param deadlineNanos when to stop waiting, on this clock, in ns; {@link #NO_DEADLINE} for none
     * @return {@code false} if it returned because the deadline had passed (timed out), {@code true}
     *         if it was woken before the deadline
     * @throws InterruptedException if the thread is interrupted, also when the deadline has already
     *                              passed (so a caller that loops on a past deadline can be stopped)
     */
    boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException;

    /** The JVM's monotonic clock and {@link Condition#awaitNanos(long)}: for demos and benchmarks. */
    static GilClock system() {
        return new GilClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            // One wait, not a loop: the caller loops on its own condition (that loop is exercise 05.3).
            @SuppressWarnings("WaitNotInLoop")
            public boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
                if (deadlineNanos == NO_DEADLINE) {
                    condition.await();
                    return true;
                }
                // Even when the deadline has passed (left <= 0), await lets go of the lock for a moment
                // and throws if the thread is interrupted, so a caller looping on it can still be stopped.
                long left = deadlineNanos - System.nanoTime();
                return condition.await(left, TimeUnit.NANOSECONDS);
            }

            @Override
            public String toString() {
                return "GilClock.system()";
            }
        };
    }
}
