package dev.threadlab.locks.solution;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.locks.exercise.SafeCounter;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/** Exercise 03.1's reference: one lock, a field of the counter, held from the read to the write. */
@ThreadSafe
public final class ReferenceSafeCounter implements SafeCounter {

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
