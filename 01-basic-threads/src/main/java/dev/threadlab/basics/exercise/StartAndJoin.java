package dev.threadlab.basics.exercise;

import dev.threadlab.common.output.Console;

/**
 * Exercise 01: the lesson's program, generalised. Given a task, run it on several threads at the
 * same time, wait for all of them, and only then say {@code Threads completed.}
 *
 * <p>This is what {@code Basics_01_PrintNumbers} does for one particular task; here the number of
 * threads and the task are parameters. Write your solution in {@link YourStartAndJoin}.
 */
public interface StartAndJoin {

    /**
     * Runs {@code task} once on each of {@code threads} new threads, all running at the same time;
     * returns only after every thread has finished, having printed {@code Threads completed.} on
     * {@code console} (from the calling thread) as its last act.
     *
     * <p>The calling thread does not run the task itself.
     *
     * @param threads how many threads, at least 1
     * @param task    what each thread runs; it may block until the other threads are running
     * @param console where to print {@code Threads completed.}
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    void runAll(int threads, Runnable task, Console console) throws InterruptedException;
}
