package dev.threadlab.locks.harness;

import dev.threadlab.locks.counters.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The experiment of this module's first two lessons: {@code threads} threads each call
 * {@link Counter#increment()} {@code increments} times on one shared counter; then the count is
 * compared with what it should be. The threads start incrementing together: each one, once
 * started, spins until all have arrived (a spinning thread is already on a core, whereas one
 * woken from a latch may first wait for the scheduler and find the others already done), the
 * way jcstress lines up its actors.
 *
 * <p>Thread-safety: each call of {@link #run} is self-contained; it starts its own threads and
 * joins every one of them before returning.
 */
public final class CounterRace {

    /** What a race ended with. */
    public record Result(String counter, long expected, long actual) {
        /** @return how many increments vanished (negative would mean counts were invented) */
        public long lost() {
            return expected - actual;
        }
    }

    private CounterRace() {}

    /**
     * @param counter    the shared counter, fresh (at 0)
     * @param threads    how many threads, at least 1
     * @param increments how many increments each thread makes, at least 1
     * @return expected ({@code threads * increments}) and actual count, after every thread ended
     * @throws IllegalArgumentException if {@code threads} or {@code increments} is below 1, or
     *                                  their product overflows a long
     * @throws InterruptedException     if interrupted while waiting for the threads (they still
     *                                  finish their increments)
     */
    public static Result run(Counter counter, int threads, long increments) throws InterruptedException {
        if (threads < 1 || increments < 1) {
            throw new IllegalArgumentException(
                    "threads and increments must be at least 1, were " + threads + " and " + increments);
        }
        long expected = Math.multiplyExact(threads, increments);
        AtomicInteger arrived = new AtomicInteger();
        List<Thread> adders = new ArrayList<>();
        for (int i = 1; i <= threads; i++) {
            adders.add(Thread.ofPlatform().name("adder-" + i).start(() -> {
                arrived.incrementAndGet();
                while (arrived.get() < threads) {
                    Thread.onSpinWait(); // every adder starts only when all are running
                }
                for (long n = 0; n < increments; n++) {
                    counter.increment();
                }
            }));
        }
        for (Thread adder : adders) {
            adder.join();
        }
        return new Result(counter.getClass().getSimpleName(), expected, counter.get());
    }
}
