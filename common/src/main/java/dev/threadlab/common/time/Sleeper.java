package dev.threadlab.common.time;

import java.time.Duration;

/**
 * The one way threadlab code pauses: demos get {@link #real()}, tests get {@link #instant()} or a
 * lambda that scripts the pause (a barrier, a latch, a recording). The Python lesson's
 * {@code time.sleep(1)} becomes {@code sleeper.sleep(Duration.ofSeconds(1))}.
 *
 * <p>Why inject it: a test that really sleeps is slow and still proves nothing about ordering
 * (on a loaded machine a sleeping thread can wake in any order). With the sleeper as a parameter,
 * a test can make a one-second pause cost nothing, or turn it into a rendezvous that forces the
 * interleaving it wants to prove. The course's ArchUnit rules forbid {@code Thread.sleep} and
 * {@code TimeUnit.sleep} everywhere outside this package.
 *
 * <p>Implementations must be thread-safe: many threads sleep through one sleeper.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Pauses the calling thread for about {@code duration}.
     *
     * @param duration how long, at least 0 (a real sleeper has the OS timer's resolution,
     *                 typically 1 ms or better on Linux)
     * @throws InterruptedException if the thread is interrupted before or while sleeping; the
     *                              interrupt flag is then cleared, as {@link Thread#sleep} does
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps, with {@link Thread#sleep(Duration)}. For demos. */
    static Sleeper real() {
        return duration -> Thread.sleep(duration);
    }

    /**
     * Returns at once; still honours interruption, so code under test behaves as with a real
     * sleep that happened to be very short. For tests.
     */
    static Sleeper instant() {
        return duration -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while sleeping (instant sleeper)");
            }
        };
    }
}
