package dev.threadlab.common.testsupport;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test says so: a {@link Ticker} a test advances by hand, and a
 * {@link Sleeper} that, instead of waiting, moves this clock forward by the requested duration.
 * So a demo's "sleep one second" takes no wall time and its time stamps are exact.
 *
 * <p>Thread-safe: many threads may read, advance and "sleep" at once.
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
