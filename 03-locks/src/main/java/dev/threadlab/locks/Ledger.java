package dev.threadlab.locks;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * A ledger of postings guarded by one lock, with two ways to post: {@link #post(long)}, which
 * releases the lock in {@code finally}, and {@link #postForgettingToUnlock(long)}, which does
 * not. A posting of 0 or less is refused with an exception thrown inside the critical section:
 * harmless in the first, fatal for everyone else in the second (the lock stays held by a thread
 * that has moved on, or died).
 *
 * <p>Thread-safety: safe, as long as every posting releases the lock.
 */
@ThreadSafe
public final class Ledger {

    private final ReentrantLock lock;

    @GuardedBy("lock")
    private long postings;

    /** @param lock the lock guarding the ledger (a test names it for thread dumps) */
    public Ledger(ReentrantLock lock) {
        this.lock = lock;
    }

    /** @return the lock guarding this ledger, to show who holds it */
    public ReentrantLock lock() {
        return lock;
    }

    /**
     * Posts {@code cents} the right way: {@code lock()} then {@code try}/{@code finally unlock()}.
     *
     * @throws IllegalArgumentException if {@code cents <= 0}; the lock is released anyway
     */
    public void post(long cents) {
        lock.lock();
        try {
            record(cents);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Posts {@code cents} the wrong way: {@code unlock()} is the last statement, not in
     * {@code finally}, like a Python {@code acquire()}/{@code release()} pair without
     * {@code try}/{@code finally} or {@code with}.
     *
     * @throws IllegalArgumentException if {@code cents <= 0}, leaving the lock held forever
     */
    // The lesson: this is the mistake LockNotBeforeTry names (and why GuardedBy cannot see the lock held).
    @SuppressWarnings({"LockNotBeforeTry", "GuardedBy"})
    public void postForgettingToUnlock(long cents) {
        lock.lock();
        record(cents); // forgets to release: if this throws, unlock() below never runs
        lock.unlock();
    }

    /**
     * Posts {@code cents} if the lock can be had within {@code wait}: the polite way to find out
     * that someone is holding it too long ({@code tryLock} with a timeout).
     *
     * @return true if posted, false if the lock was not free in time
     * @throws IllegalArgumentException if {@code cents <= 0}
     * @throws InterruptedException     if interrupted while waiting for the lock
     */
    public boolean tryPost(long cents, Duration wait) throws InterruptedException {
        if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        try {
            record(cents);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void record(long cents) {
        if (cents <= 0) {
            throw new IllegalArgumentException("a posting must be positive, was " + cents);
        }
        postings++;
    }

    /** @return how many postings succeeded */
    public long postings() {
        lock.lock();
        try {
            return postings;
        } finally {
            lock.unlock();
        }
    }
}
