package dev.threadlab.locks.counters;

/**
 * A counter that many threads add to: the shared data of this module's lesson. Each
 * implementation is the same small class written with a different tool (none, a
 * {@code ReentrantLock}, {@code synchronized}, an {@code AtomicLong}, a {@code LongAdder}), so
 * they can be compared side by side, proven by the same model checker and timed by the same
 * benchmark.
 *
 * <p>Thread-safety: each implementation says whether it is safe ({@code @ThreadSafe}) or not
 * ({@code @NotThreadSafe}, only {@link UnsafeCounter}).
 */
public interface Counter {

    /** Adds 1. */
    void increment();

    /** @return the count so far: every increment that returned before this call is included */
    long get();
}
