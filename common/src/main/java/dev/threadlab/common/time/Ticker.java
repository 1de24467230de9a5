package dev.threadlab.common.time;

/**
 * A source of monotonic time in nanoseconds, like {@link System#nanoTime()}: only differences
 * mean anything. Injected wherever a demo or exercise reads the time, so a test can drive time by
 * hand (common's test-support {@code ManualClock}).
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** @return the current time in ns, from an arbitrary origin */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
