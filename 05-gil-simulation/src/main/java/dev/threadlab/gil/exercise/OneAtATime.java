package dev.threadlab.gil.exercise;

import java.util.List;

/**
 * <b>Exercise 05.1: one at a time</b>, a global interpreter lock in its simplest form. CPython runs
 * each Python thread on a thread of the operating system, and lets a thread run Python code only
 * while it holds one lock, the GIL: many threads, one of them running at a time. Do the same in
 * {@link YourOneAtATime}: run a list of tasks on several threads that take turns under one lock.
 *
 * <p>The rules, each checked by a test of {@code OneAtATimeSpec}, in this order. Its tasks wait on
 * the test where it needs them to (one task is held inside while the other threads are looked at),
 * so every meeting of two threads is lined up by the test, never left to luck:
 * <ol>
 *   <li><b>Every task exactly once, on the threads it starts.</b> Start {@code threads} platform
 *       threads ({@code new Thread}, {@code Thread.ofPlatform()} or a fixed pool; a cached pool
 *       starts a thread whenever all of its threads are busy, so handed more than {@code threads}
 *       jobs it runs the tasks on too many threads; not virtual threads, which the
 *       grading cannot see, and not the calling thread), and let them share the tasks: each thread
 *       takes the next task nobody has taken yet, until none is left. Every task runs exactly once,
 *       and the tasks run on at most {@code threads} threads. Taking a task is one step no other
 *       thread can come between: read and advance a shared index under the GIL (or with
 *       {@code getAndIncrement()}, or {@code poll()} a queue), never read it, check it and write it
 *       back in separate steps outside the GIL. A thread that finds the GIL taken waits for it; it
 *       never skips its task (as a {@code tryLock()} that fails would). The test lets each thread's
 *       first look into the task list go on only once every other thread looks too or waits, and
 *       holds the first task that starts until every other thread waits or has ended. (Dealing the
 *       tasks out beforehand, task {@code k} to thread {@code k % threads}, also runs each once;
 *       under a GIL it costs nothing, so it is not refused.)</li>
 *   <li><b>Never two tasks at once.</b> A thread runs a task only while it holds the GIL, one lock
 *       shared by all the threads ({@code synchronized} on one object, one {@code ReentrantLock}, or
 *       a {@code Semaphore} with one permit). A thread that finds the GIL taken waits for it,
 *       blocked in {@code synchronized}, {@code lock()} or {@code acquire()}, not in a loop that
 *       polls. The test holds the first task that starts, and then expects another of your threads
 *       to be seen waiting for the GIL, and no other task to start. All threads are started before
 *       any is joined. Whether a thread lets go of the GIL between two tasks is not graded: the
 *       simplest GIL is unfair, and one thread may run every task while the others wait (exercise
 *       05.3 makes threads take turns, as CPython does).</li>
 *   <li><b>A task that throws stops nothing else.</b> The GIL is released ({@code synchronized}
 *       does it for you; otherwise {@code unlock()} or {@code release()} in a {@code finally}
 *       block); every other task still runs exactly once; and {@code runAll} returns normally.
 *       What to do with the exception is up to you: drop it, or report it as Python's
 *       {@code threading} does, e.g. with
 *       {@code Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(...)}. The task
 *       that throws is the first one to start, on whichever thread: the test holds it until another
 *       thread waits for the GIL (or, as in rule 1, until every other thread waits or has ended),
 *       then it throws. So the other threads always find the GIL taken first: a thread that skips
 *       its task then (a {@code tryLock()} that fails) leaves it never run, on every run.</li>
 *   <li><b>A lone thread runs on after a task throws.</b> The same with a single thread: the
 *       exception ends that task only (the first one to start throws), the thread goes on with the
 *       next one, every other task still runs exactly once, and {@code runAll} returns
 *       normally.</li>
 *   <li><b>{@code runAll} returns only once every task has finished.</b> Every thread you started
 *       has ended by then too: join them all, not only the first or the last, with {@code join()},
 *       never {@code join(millis)}, which gives up while a thread still runs (or shut the pool down
 *       and await its termination). The test holds every task, and every look of your threads into
 *       the task list ({@code size()}, {@code get(i)}), each until {@code runAll} is seen waiting for
 *       that thread (and, in a copy of your class loaded again with a pause point before each of its
 *       steps, every step of that thread's code): joining it, joining a thread that waits for the GIL it holds, awaiting the
 *       pool's termination, or waiting with no timeout for a latch or future. Returning while a
 *       thread is held, or before every task has finished, fails.</li>
 * </ol>
 * A thread that keeps running instead of waiting (200 ms of CPU while the test waits for it) is
 * reported as hanging, and the rules after it are not graded.
 *
 * <p>Implementations must have a public no-argument constructor; each call of {@code runAll} is on
 * its own (a new GIL each time is fine).
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface OneAtATime {

    /**
     * Runs every task once, on {@code threads} new threads that take turns holding one lock, the
     * GIL, and returns once all of them have ended.
     *
     * @param tasks   the tasks, not empty; each may block until the test lets it go on, and may throw
     * @param threads how many threads to start, at least 1
     * @throws InterruptedException if the calling thread is interrupted while waiting (not graded)
     */
    void runAll(List<Runnable> tasks, int threads) throws InterruptedException;
}
