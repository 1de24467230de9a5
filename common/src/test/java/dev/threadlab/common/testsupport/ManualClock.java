package dev.threadlab.common.testsupport;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test says so: a {@link Ticker} a test advances by hand, and a
 * {@link Sleeper} that, instead of waiting, moves this clock forward by the requested duration.
 * So a demo's "sleep one second" takes no wall time.
 *
 * <p>Thread-safe: many threads may read, advance and "sleep" at once. It is one clock for all
 * of them, though: each thread's sleep moves everyone's time, so two threads "sleeping" 1 s each
 * at the same moment advance it by 2 s. Use it to make pauses free and time stamps repeatable,
 * not to picture how long concurrent threads took.
 */
public final class ManualClock implements Ticker {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves time forward by {@code duration} (must not be negative). */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** @return a sleeper that advances this clock by each requested duration and returns at once */
    public Sleeper sleeper() {
        return duration -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while sleeping (manual clock)");
            }
            advance(duration);
        };
    }
}
