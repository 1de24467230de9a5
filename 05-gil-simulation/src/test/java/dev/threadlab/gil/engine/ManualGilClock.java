package dev.threadlab.gil.engine;

import dev.threadlab.common.testsupport.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import net.jcip.annotations.ThreadSafe;

/**
 * A {@link GilClock} whose time moves only when a test {@link #advance advances} it (common's
 * {@link ManualClock}), and which then wakes every thread whose deadline has passed. So a test
 * reads "worker-2 has waited 5 ms" as {@code clock.advance(ofMillis(5))}, without waiting 5 ms
 * and without depending on how fast the machine is.
 *
 * <p>It also lets a test see and steer the waiters, for forced interleavings:
 * {@link #waitOf(Thread)} says whether a thread is waiting on this clock and until when, and
 * {@link #hold(Thread)} keeps a thread waiting even when it is signalled (the signal is consumed,
 * as if the OS had not yet scheduled the thread) until {@link #release(Thread)}.
 *
 * <p>Thread-safety: thread-safe.
 */
@ThreadSafe
public final class ManualGilClock implements GilClock {

    /**
     * A thread waiting on this clock: on which condition, until when. {@code number} counts the
     * waits on this clock (1, 2, ...), so a test can tell a new wait from the one it saw before.
     */
    public record Wait(Lock lock, Condition condition, long deadlineNanos, long number) {}

    private final ManualClock time = new ManualClock();
    private final Map<Thread, Wait> waits = new ConcurrentHashMap<>();
    private final Set<Thread> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong waitsBegun = new AtomicLong();

    @Override
    public long nanoTime() {
        return time.nanoTime();
    }

    @Override
    public boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
        if (Thread.interrupted()) { // also when the deadline has passed, so a thread looping on it can be stopped
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        // Registered before reading the time: advance() moves time, then looks for waiters, so it
        // either finds this one or this one sees the new time. No wake-up is lost.
        waits.put(me, new Wait(lock, condition, deadlineNanos, waitsBegun.incrementAndGet()));
        try {
            if (nanoTime() >= deadlineNanos && !held.contains(me)) {
                return false;
            }
            do {
                condition.await();
            } while (held.contains(me));
            return nanoTime() < deadlineNanos;
        } finally {
            waits.remove(me);
        }
    }

    /** Moves time forward by {@code duration} and wakes every waiter whose deadline it reaches. */
    public void advance(Duration duration) {
        time.advance(duration);
        long now = nanoTime();
        waits.values().stream().filter(w -> w.deadlineNanos() <= now).forEach(ManualGilClock::signal);
    }

    /** @return every thread waiting on this clock right now, and how */
    public Map<Thread, Wait> waits() {
        return Map.copyOf(waits);
    }

    /** @return whether {@code thread} is held ({@link #hold}) */
    public boolean isHeld(Thread thread) {
        return held.contains(thread);
    }

    /** @return how {@code thread} waits on this clock right now, if it does */
    public Optional<Wait> waitOf(Thread thread) {
        return Optional.ofNullable(waits.get(thread));
    }

    /** Keeps {@code thread} waiting on this clock, whatever signals it gets, until {@link #release}. */
    public void hold(Thread thread) {
        held.add(thread);
    }

    /** Lets {@code thread} go: it wakes up (a spurious wake-up, as far as it can tell) and re-checks. */
    public void release(Thread thread) {
        held.remove(thread);
        Wait wait = waits.get(thread);
        if (wait != null) {
            signal(wait);
        }
    }

    private static void signal(Wait wait) {
        wait.lock().lock();
        try {
            wait.condition().signalAll();
        } finally {
            wait.lock().unlock();
        }
    }
}
