package dev.threadlab.locks.counters;

import java.util.concurrent.atomic.AtomicLong;
import net.jcip.annotations.ThreadSafe;

/**
 * No lock at all: {@link AtomicLong#incrementAndGet()} is one atomic read-modify-write (a
 * compare-and-set retried until it wins, or the CPU's atomic add). Right for one variable; the
 * trap is that two atomics updated one after the other are not atomic together (a transfer
 * between two accounts still needs a lock: see the exercise).
 */
@ThreadSafe
public final class AtomicCounter implements Counter {

    private final AtomicLong count = new AtomicLong();

    @Override
    public void increment() {
        count.incrementAndGet();
    }

    @Override
    public long get() {
        return count.get();
    }
}
