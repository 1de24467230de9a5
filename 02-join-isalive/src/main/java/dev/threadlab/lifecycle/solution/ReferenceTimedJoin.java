package dev.threadlab.lifecycle.solution;

import dev.threadlab.lifecycle.exercise.TimedJoin;
import java.time.Duration;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference solution of exercise 02.1 (spoilers). {@link Thread#join(Duration)} waits at most
 * the duration, returns at once for zero, rounds a sub-millisecond wait up rather than down, and
 * answers whether the thread ended; "still alive" is the opposite.
 */
@ThreadSafe
public final class ReferenceTimedJoin implements TimedJoin {

    @Override
    public boolean stillAliveAfter(Thread worker, Duration timeout) throws InterruptedException {
        return !worker.join(timeout);
    }
}
