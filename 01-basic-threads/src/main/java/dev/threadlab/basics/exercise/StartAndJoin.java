package dev.threadlab.basics.exercise;

import dev.threadlab.common.output.Console;

/**
 * Exercise 01: the lesson's program, generalised. Given a task, run it on several threads at the
 * same time, wait for all of them, and only then say {@code Threads completed.}
 *
 * <p>This is what {@code Basics_01_PrintNumbers} does for one particular task; here the number of
 * threads and the task are parameters. Write your solution in {@link YourStartAndJoin}.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface StartAndJoin {

    /**
     * Runs {@code task} once on each of {@code threads} new threads, all running at the same time;
     * returns only after every thread has finished, having printed {@code Threads completed.} on
     * {@code console} (from the calling thread) as its last act.
     *
     * <p>The rules the grading checks, one test of {@code StartAndJoinSpec} each, in this order:
     * <ol>
     *   <li><b>Once on each new thread.</b> The task runs exactly {@code threads} times, each time on a new thread of its own, never
     *       on the calling thread ({@code run()} would run it right there; {@code start()} makes the
     *       thread run it).</li>
     *   <li><b>All at the same time.</b> The threads run at the same time: every thread is started before the caller waits for
     *       any. The grader's task keeps running until the grader lets it end, so a solution that
     *       starts one thread, waits for it, then starts the next, never gets past the first.</li>
     *   <li><b>Printed after every thread has finished.</b> {@code Threads completed.} is printed exactly once, by the calling thread, only after
     *       every task has finished: wait for every thread ({@code join()} with no timeout; with an
     *       {@code ExecutorService}, {@code close()} it or {@code get()} every {@code Future}). The
     *       grader lets a task end only once the caller waits for it. A timed wait ({@code join(ms)},
     *       {@code join(Duration)}, {@code get(timeout, unit)}, {@code awaitTermination},
     *       {@code CountDownLatch.await(timeout, unit)}) may run out
     *       before the task ends, whatever its length, and the grading makes it run out at once: one
     *       that is not entered again until the thread has ended is giving up, the same for
     *       {@code join(1)} as for {@code join(5000)}; a loop that waits again until it has
     *       ({@code while (t.isAlive()) t.join(100);}) is a wait for the thread, and a loop that
     *       gives up after fewer than 64 tries is a give-up. A loop that polls
     *       {@code isAlive()} without waiting (a busy wait) never lets a task end: it is told so
     *       once it has used 300 ms of CPU without waiting.</li>
     *   <li><b>Fewer than one thread is refused.</b> {@code threads < 1} is refused before anything starts or is printed, with an
     *       {@code IllegalArgumentException} whose message names the parameter and its bad value,
     *       e.g. {@code "threads must be at least 1, was 0"}.</li>
     * </ol>
     * Plain threads, {@code Thread.ofPlatform()}, virtual threads and an {@code ExecutorService}
     * with as many threads as tasks, in try-with-resources, all keep these rules.
     *
     * @param threads how many threads, at least 1
     * @param task    what each thread runs; it may block until the other threads are running
     * @param console where to print {@code Threads completed.}
     * @throws IllegalArgumentException if {@code threads < 1}, naming the bad value
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    void runAll(int threads, Runnable task, Console console) throws InterruptedException;
}
