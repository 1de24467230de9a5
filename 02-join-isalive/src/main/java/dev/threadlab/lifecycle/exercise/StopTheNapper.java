package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * Exercise 02.2: stop a sleeping thread and wait for it. CPython cannot ask a thread to stop; Java
 * can, with {@link Thread#interrupt()}, a request that a sleeping thread receives as an
 * {@link InterruptedException} ({@code Lifecycle_05_Interrupt} shows it). Write your solution in
 * {@link YourStopTheNapper}.
 *
 * <p>The rules the grading checks, one test of {@code StopTheNapperSpec} each, in this order:
 * <ol>
 *   <li><b>A platform thread that naps until interrupted.</b> {@link #startNapper} starts a new platform thread ({@code new Thread(...)} or
 *       {@code Thread.ofPlatform()}; not a virtual thread, not the calling thread) whose body naps
 *       through {@code sleeper}, {@code sleeper.sleep(nap)}, again and again until it is interrupted,
 *       and returns that thread, started. (The tests' sleeper returns at once for the first two
 *       naps; the third lasts until the thread is interrupted.)</li>
 *   <li><b>Stop interrupts it, and it naps no more.</b> {@link #stop} interrupts the napper, and the
 *       napper stops at the {@code InterruptedException}: it takes no further nap, and its thread
 *       ends. (Judged on its own, whether or not {@code stop} waits: here the tests' sleeper wakes at
 *       once, as {@code Thread.sleep} does, and the napper is watched until it ends.) Catching the exception and napping on swallows the request (the
 *       exception has cleared the thread's interrupt flag). Either leave the loop there, or restore
 *       the flag with {@code Thread.currentThread().interrupt()} so that a
 *       {@code while (!Thread.currentThread().isInterrupted())} loop ends.</li>
 *   <li><b>Stop returns once the napper has ended.</b> {@link #stop} returns only once the napper has ended: after interrupting it, wait for it with
 *       {@code join()}, no timeout (not a loop on {@code isAlive()}, which keeps running instead of waiting). (The tests' sleeper takes its time to wake up: it throws
 *       {@code InterruptedException} only once {@code stop} waits in {@code join} for the napper to
 *       end, so no {@code join}, or a {@code join} with a timeout, returns while the napper is still alive. A timed
 *       join on it runs out at once, whatever its timeout, {@code join(60_000)} as {@code join(5)}:
 *       only a loop that joins again until the napper has ended waits for its end; a loop that
 *       gives up after fewer than 64 tries is a give-up.)</li>
 * </ol>
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface StopTheNapper {

    /**
     * Starts a thread that naps until it is interrupted.
     *
     * @param sleeper how the thread naps (common's {@code Sleeper}; like {@code Thread.sleep}, it throws
     *                {@code InterruptedException} when the thread is interrupted before or while napping)
     * @param nap     how long each nap is
     * @return the napping thread, started
     */
    Thread startNapper(Sleeper sleeper, Duration nap);

    /**
     * Interrupts {@code napper} and waits until it has ended.
     *
     * @param napper the thread {@link #startNapper} returned
     * @throws InterruptedException if the calling thread is interrupted while waiting (not graded)
     */
    void stop(Thread napper) throws InterruptedException;
}
