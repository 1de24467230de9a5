package dev.threadlab.lifecycle.exercise;

import java.time.Duration;

/**
 * Exercise 02.1: wait for a thread, but not forever, then say whether it is still running. The
 * lesson's {@code t.join(timeout)} followed by {@code t.is_alive()}; {@code Lifecycle_03_JoinWithTimeout}
 * shows both Java spellings. Write your solution in {@link YourTimedJoin}.
 *
 * <p>The rules the grading checks, one test of {@code TimedJoinSpec} each, in this order:
 * <ol>
 *   <li><b>False as soon as the worker ends.</b> Wait for {@code worker} with {@code join} and a time limit: {@code worker.join(timeout)}
 *       (Java 19+; it returns {@code true} if the thread <em>ended</em>), or the Python style,
 *       {@code worker.join(millis)} then {@code worker.isAlive()}. The wait ends as soon as the
 *       worker does: when it ends within the timeout, return {@code false}. (The tests' worker, given
 *       a timeout of an hour, ends as soon as you wait for it in {@code join}; so an answer given
 *       without waiting, or after a shorter wait, is wrong.)</li>
 *   <li><b>True when the timeout runs out.</b> When the timeout runs out and the worker is still running,
 *       return {@code true}. (The tests'
 *       worker, given a timeout of 20 ms, never ends by itself.)</li>
 *   <li><b>Never a wait without a limit.</b> Never wait without a time limit: {@code join()} and {@code join(0)} wait until the worker
 *       ends, however long that takes. A zero timeout means "don't wait, just look"
 *       ({@code join(Duration.ZERO)} does that; {@code join(0)} waits forever), and a timeout under a
 *       millisecond is still a limit ({@code Duration.toMillis()} rounds it down to 0).</li>
 * </ol>
 * The worker is already started; leave it running (don't interrupt it). A negative timeout is
 * outside the rules. Wait in {@code join}, never by sleeping.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface TimedJoin {

    /**
     * Waits at most {@code timeout} for {@code worker} to end, and says whether it is still alive.
     *
     * @param worker  a started thread
     * @param timeout how long to wait at most; zero means: don't wait
     * @return {@code true} if the worker is still alive when the wait is over, {@code false} if it ended
     * @throws InterruptedException if the calling thread is interrupted while waiting (not graded)
     */
    boolean stillAliveAfter(Thread worker, Duration timeout) throws InterruptedException;
}
