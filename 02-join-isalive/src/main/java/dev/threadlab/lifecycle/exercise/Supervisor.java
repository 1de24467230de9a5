package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The exercise of module 02: a small supervisor built from the three methods the lesson names,
 * {@code start()}, {@code join()} and {@code isAlive()}, plus Java's {@code interrupt()}.
 *
 * <p>In Python, the lesson's pattern with a deadline would read:
 * <pre>
 * deadline = time.monotonic() + timeout
 * for t in threads:
 *     t.join(max(0, deadline - time.monotonic()))
 * late = [t for t in threads if t.is_alive()]   # and CPython cannot stop them
 * </pre>
 * Java can ask the late ones to stop: {@link Thread#interrupt()}.
 *
 * <p>The rules the grading checks, one test of {@code SupervisorSpec} each, in this order:
 * <ol>
 *   <li><b>A new platform thread per task, named worker-N.</b> Each task runs on its own new
 *       platform thread (not a virtual thread, not the calling thread), named {@code worker-1},
 *       {@code worker-2}, ... in task order; every worker is started before the supervisor waits for
 *       any.</li>
 *   <li><b>Finished, with the result, in task order.</b> A worker whose task returns in time is
 *       {@link Outcome.Finished} with what the task returned; the account lists the outcomes in task
 *       order.</li>
 *   <li><b>An exception is Failed, not swallowed.</b> A worker whose task throws an exception is
 *       {@link Outcome.Failed} with the very exception it threw (that very object, not a wrapper, not
 *       its cause): a thread's exception never reaches {@code join()}, so catch it in the worker.</li>
 *   <li><b>An Error is Failed too.</b> The same for an {@code Error} ({@code StackOverflowError},
 *       ...): catch every {@code Throwable} in the worker, not only {@code Exception}.</li>
 *   <li><b>Late workers are interrupted and Cancelled.</b> A worker still running when the deadline
 *       has passed is interrupted, and is {@link Outcome.Cancelled}, whatever its task does after the
 *       interrupt.</li>
 *   <li><b>One shared deadline.</b> The deadline is {@code timeout} after the call, read from
 *       {@code ticker} before any worker starts (the
 *       grading checks that your first read of the ticker comes before your first {@code start()}). It
 *       is shared: the supervisor waits for the workers in task order, each with {@link Thread#join(Duration)} for only the time left until that one
 *       deadline (never a fresh {@code timeout} per worker, never {@code join(0)} or {@code join()}
 *       for "no time left"), re-reading the ticker before each wait.</li>
 *   <li><b>Every worker exactly once.</b> The account has exactly one outcome per task, in task
 *       order, whatever mix of finished, failed and cancelled: no worker lost, none twice, no
 *       {@code null}.</li>
 *   <li><b>No worker alive at the return.</b> The supervisor waits (with {@code join()}, no timeout)
 *       until the threads of the workers it interrupted have ended: no worker thread is alive when
 *       {@code supervise} returns. A worker may take any time to clean up after the interrupt; the
 *       tests' workers end their cleanup only once the supervisor waits for them to end, so a
 *       {@code join} with a timeout on them runs out first, whatever its timeout: the tests make it run
 *       out at once, {@code join(Duration.ofSeconds(60))} as {@code join(Duration.ofMillis(5))} (a
 *       loop that joins again until the worker has ended waits for its end; a loop that gives up
 *       after fewer than 64 tries is a give-up). The timed joins before
 *       the deadline (rule 6) are not affected: only the wait after the interrupt must be
 *       untimed.</li>
 *   <li><b>The caller's interrupt cancels everything.</b> If the calling thread is interrupted while
 *       waiting, the supervisor interrupts every worker still running, waits for them to end (as in
 *       rule 8), and throws {@link InterruptedException}: it does not catch the interrupt and go on
 *       waiting.</li>
 *   <li><b>A negative timeout is refused.</b> {@code IllegalArgumentException}, naming the timeout,
 *       before any worker starts.</li>
 *   <li><b>A null task is refused.</b> {@code NullPointerException} for a null task (or argument),
 *       before any worker starts.</li>
 *   <li><b>No tasks, an empty account.</b> An empty list of tasks starts nothing and gives an empty
 *       account.</li>
 * </ol>
 *
 * <p>Why the ticker: a test passes a {@code ManualClock}, so "an hour passes" costs nothing and a
 * deadline passes exactly when the test says. {@code join(Duration)} still waits in real time; it
 * is woken early when the thread it joins ends, and that is when the ticker is read again.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface Supervisor {

    /**
     * Runs every task on its own worker thread and accounts for all of them by one shared deadline.
     *
     * @param tasks   the work, one worker each (may be empty; then nothing starts)
     * @param timeout how long, in total, to wait for all workers together, measured on {@code ticker};
     *                zero means "interrupt whatever is still running at once". A timeout too long to
     *                count in ns ({@code Duration.toNanos()} throws ArithmeticException beyond about 292
     *                years) is outside the rules: the reference treats it as 292 years, and a solution
     *                may do that or let the ArithmeticException through
     * @param ticker  the clock for the deadline, in ns ({@code Ticker.system()} in real use)
     * @param <T>     the type of a task's result
     * @return one outcome per task, in task order
     * @throws IllegalArgumentException if {@code timeout} is negative (checked before any worker starts)
     * @throws NullPointerException     if an argument, or a task, is null (checked before any worker starts)
     * @throws InterruptedException     if the calling thread is interrupted while waiting; every
     *                                  worker has been interrupted and has ended by then
     */
    <T> List<Outcome<T>> supervise(List<Callable<T>> tasks, Duration timeout, Ticker ticker)
            throws InterruptedException;
}
