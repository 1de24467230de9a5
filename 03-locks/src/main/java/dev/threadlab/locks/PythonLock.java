package dev.threadlab.locks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.ThreadSafe;

/**
 * CPython's {@code threading.Lock} in Java: a lock with no owner and no reentrancy, built on a
 * {@code Semaphore(1)}. Acquiring it twice in one thread blocks that thread forever (in Python
 * as here); any thread may release it; releasing it when it is not held is an error.
 *
 * <pre>{@code
 * lock = threading.Lock()   |  PythonLock lock = new PythonLock();
 * lock.acquire()            |  lock.acquire();
 * lock.acquire()  # hangs   |  lock.acquire();  // hangs: no owner, so no reentrancy
 * }</pre>
 *
 * <p>Compare {@code java.util.concurrent.locks.ReentrantLock} and {@code synchronized}, which
 * are reentrant like Python's {@code RLock} (see {@link Locks_03_Reentrancy}).
 *
 * <p>Source followed: CPython {@code Modules/_threadmodule.c} ({@code lock_PyThread_acquire_lock},
 * {@code lock_PyThread_release_lock}, which raises {@code RuntimeError("release unlocked lock")}),
 * and the {@code threading.Lock} documentation.
 *
 * <p>Thread-safety: safe from any thread, as a lock must be.
 */
@ThreadSafe
public final class PythonLock {

    private final Semaphore permit = new Semaphore(1);

    /**
     * Waits until the lock is free and takes it ({@code lock.acquire()}).
     *
     * @throws InterruptedException if interrupted while waiting (Python's acquire cannot be)
     */
    public void acquire() throws InterruptedException {
        permit.acquire();
    }

    /**
     * Takes the lock if it becomes free within {@code timeout} ({@code lock.acquire(timeout=...)}).
     *
     * @return true if taken, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        return permit.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Frees the lock ({@code lock.release()}); any thread may call it, as in CPython.
     *
     * @throws IllegalStateException "release unlocked lock" if the lock is not held (CPython
     *                               raises {@code RuntimeError} with the same message)
     */
    public synchronized void release() {
        // Only release() adds a permit and releases are serialized here, so a free lock seen now
        // stays free until we return; acquirers can only take the permit away meanwhile.
        if (permit.availablePermits() > 0) {
            throw new IllegalStateException("release unlocked lock");
        }
        permit.release();
    }

    /** @return true if some thread holds the lock ({@code lock.locked()}) */
    public boolean locked() {
        return permit.availablePermits() == 0;
    }
}
