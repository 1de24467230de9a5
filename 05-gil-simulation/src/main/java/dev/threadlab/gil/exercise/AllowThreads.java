package dev.threadlab.gil.exercise;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * <b>Exercise 05.2: release it while you wait</b>. The lesson says to use threads for I/O-bound
 * work, GIL or not. That works because a thread about to block (a socket read, a file,
 * {@code time.sleep}) lets go of the GIL first and takes it back afterwards: CPython's C code wraps
 * every blocking call in {@code Py_BEGIN_ALLOW_THREADS} ... {@code Py_END_ALLOW_THREADS}. Write that
 * pair in {@link YourAllowThreads}. (The module's simulated GIL does the same in
 * {@code Gil.withoutGil}; {@code Gil_04_Convoy} shows what it buys.)
 *
 * <p>The GIL here is a {@link ReentrantLock}; a thread that holds it holds it once. The rules, each
 * checked by a test of {@code AllowThreadsSpec}, in this order, with the test's threads "python-1"
 * (which calls {@code blockingCall}) and "python-2", and a call that blocks until the test lets it
 * return:
 * <ol>
 *   <li><b>The GIL is free while the call blocks.</b> Let go of it ({@code gil.unlock()}) before
 *       the call, so that another thread can take it meanwhile. The test holds the call and has
 *       python-2 take the GIL.</li>
 *   <li><b>The GIL is taken back before the call returns.</b> Take it back before returning
 *       ({@code gil.lock()}), waiting while another thread has it (the test's python-2 keeps it
 *       until python-1 is seen waiting), and return what the call returned, holding the GIL once,
 *       as before.</li>
 *   <li><b>The GIL is taken back when the call throws.</b> Take it back all the same, then let the
 *       exception through, unchanged (the same exception object): a {@code finally} block. The test
 *       throws an {@code IOException}, then an {@code Error}, which a {@code catch (Exception e)}
 *       does not see.</li>
 *   <li><b>A thread that does not hold the GIL is refused.</b> It may not use the GIL:
 *       {@code blockingCall} then makes no call and throws {@link IllegalMonitorStateException}
 *       (which {@code gil.unlock()} throws for you), and the caller still does not hold the GIL
 *       afterwards.</li>
 *   <li><b>The GIL is taken back even if the thread is interrupted.</b> An interrupt while python-1
 *       waits to take the GIL back does not end the wait: python-1 still returns what the call
 *       returned, holding the GIL once. {@code gil.lock()} waits through an interrupt and leaves it
 *       pending; {@code lockInterruptibly()} would throw and leave the caller without the GIL. The
 *       test interrupts python-1 while python-2 keeps the GIL.</li>
 * </ol>
 * A thread that keeps running instead of waiting (200 ms of CPU while the test waits for it) is
 * reported as hanging, and the rules after it are not graded.
 *
 * <p>Implementations are stateless and must have a public no-argument constructor.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface AllowThreads {

    /**
     * Makes a blocking call without the GIL: lets go of {@code gil}, makes the call, takes the GIL
     * back, however the call ended.
     *
     * @param gil  the GIL, held once by the calling thread
     * @param call the blocking call (a read, a sleep)
     * @param <T>  what the call returns
     * @return what the call returned
     * @throws Exception                    what the call threw, unchanged
     * @throws IllegalMonitorStateException if the calling thread does not hold {@code gil} (the call
     *                                      is not made)
     */
    <T> T blockingCall(ReentrantLock gil, Callable<T> call) throws Exception;
}
