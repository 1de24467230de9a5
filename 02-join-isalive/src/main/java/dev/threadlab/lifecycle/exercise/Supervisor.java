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
 * <p>The rules, each checked by a test of {@code SupervisorSpec}:
 * <ol>
 *   <li>Each task runs on its own new platform thread, named {@code worker-1}, {@code worker-2},
 *       ... in task order; every worker is started before the supervisor waits for any. Bad input
 *       (a null argument or task, a negative timeout) is refused before any worker starts.</li>
 *   <li>The deadline is {@code timeout} after the call, read from {@code ticker} before any worker
 *       starts. It is shared: the supervisor waits for the workers in task order, each with
 *       {@link Thread#join(Duration)} for only the time left until that one deadline (never a
 *       fresh {@code timeout} per worker), re-reading the ticker before each wait.</li>
 *   <li>The workers still alive when the waiting is over are interrupted, and the supervisor waits
 *       (with {@code join()}, no timeout) until their threads have ended: no worker thread is alive
 *       when {@code supervise} returns. A worker may take any time to clean up after the interrupt;
 *       the tests' workers end their cleanup only once the supervisor waits for them, so a
 *       {@code join} with a timeout runs out first.</li>
 *   <li>The account has exactly one outcome per task, in task order:
 *       {@link Outcome.Finished} with what the task returned, {@link Outcome.Failed} with the very
 *       exception it threw (that very object, not a wrapper), an {@code Error} included (a thread's
 *       exception never reaches {@code join()}: catch every {@code Throwable} in the worker), or
 *       {@link Outcome.Cancelled} for a worker that was interrupted at the deadline.</li>
 *   <li>If the calling thread is interrupted while waiting, the supervisor interrupts every worker
 *       still running, waits for them to end (as in rule 3), and throws {@link InterruptedException}:
 *       it does not catch the interrupt and go on waiting.</li>
 * </ol>
 *
 * <p>Why the ticker: a test passes a {@code ManualClock}, so "an hour passes" costs nothing and a
 * deadline passes exactly when the test says. {@code join(Duration)} still waits in real time; it
 * is woken early when the thread it joins ends, and that is when the ticker is read again.
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
