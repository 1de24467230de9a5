package dev.threadlab.locks.counters;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import net.jcip.annotations.ThreadSafe;

/**
 * The same fix with Java's built-in monitor: {@code synchronized} takes this object's lock on
 * entry and releases it on every exit, normal or by exception, so there is no {@code finally}
 * to forget. The trap it carries: a thread waiting for a monitor cannot be interrupted and
 * cannot give up after a timeout ({@code ReentrantLock.tryLock} can).
 */
@ThreadSafe
public final class SynchronizedCounter implements Counter {

    @GuardedBy("this")
    private long count;

    @Override
    public synchronized void increment() {
        count++;
    }

    @Override
    public synchronized long get() {
        return count;
    }
}
