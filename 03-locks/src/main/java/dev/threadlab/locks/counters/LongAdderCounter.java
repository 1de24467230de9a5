package dev.threadlab.locks.counters;

import java.util.concurrent.atomic.LongAdder;
import net.jcip.annotations.ThreadSafe;

/**
 * Built for contention: a {@link LongAdder} spreads increments over several cells when threads
 * collide, so they stop fighting over one cache line; {@link #get()} adds the cells up. The trap:
 * {@code sum()} is not a snapshot while increments run (fine for statistics, wrong for "take a
 * number"), and it uses more memory than one {@code long}.
 */
@ThreadSafe
public final class LongAdderCounter implements Counter {

    private final LongAdder count = new LongAdder();

    @Override
    public void increment() {
        count.increment();
    }

    @Override
    public long get() {
        return count.sum();
    }
}
