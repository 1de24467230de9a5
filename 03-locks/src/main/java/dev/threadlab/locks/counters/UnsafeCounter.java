package dev.threadlab.locks.counters;

import net.jcip.annotations.NotThreadSafe;

/**
 * The broken counter: {@code count++} with no lock. It is three steps (read, add, write), and
 * two threads can both read the same value, both add 1 and both write it back: one update is
 * lost. Python's {@code counter += 1} has the same three steps in its bytecode, and the GIL may
 * switch threads between them.
 *
 * <p>The field is {@code volatile} on purpose, so that the only bug left is the one this lesson
 * is about: {@code volatile} makes every read and write go to memory and be seen by other
 * threads, but it does not make read-add-write one step. (Without it, the JIT may also keep the
 * count in a register for a whole loop of increments and write it back once: even more updates
 * vanish, for a second reason.)
 *
 * <p>The model checker finds the interleaving {@code read 0, read 0, write 1, write 1} (see
 * {@code CounterLinearizabilityTest}); {@link dev.threadlab.locks.Locks_01_UnsafeCounter} shows the lost updates.
 */
@NotThreadSafe
public final class UnsafeCounter implements Counter {

    private volatile long count;

    @Override
    public void increment() {
        count++; // read, add, write: another thread can run between any two of them (volatile or not)
    }

    @Override
    public long get() {
        return count;
    }
}
