package dev.threadlab.locks.counters;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * The fix the Python lesson teaches, in Java: an explicit lock around the critical section.
 * With the lock held, read-add-write is one step for every other thread that also takes it.
 *
 * <pre>{@code
 * lock.acquire()          |  lock.lock();
 * try:                    |  try {
 *     count += 1          |      count++;
 * finally:                |  } finally {
 *     lock.release()      |      lock.unlock();
 *                         |  }
 * }</pre>
 *
 * <p>{@code lock()} goes before {@code try}, so that a failed {@code lock()} never reaches
 * {@code unlock()}; {@code unlock()} is in {@code finally}, so that an exception in the critical
 * section never leaves the lock held (see {@link dev.threadlab.locks.Locks_04_ForgottenRelease}). This is the shape
 * of Python's {@code with lock:} block. Source: {@link ReentrantLock}'s class javadoc (JDK 21).
 */
@ThreadSafe
public final class LockedCounter implements Counter {

    private final ReentrantLock lock = new ReentrantLock();

    @GuardedBy("lock")
    private long count;

    @Override
    public void increment() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long get() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
