package dev.threadlab.daemon.exercise;

import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * Exercise 04.1: make a program exit. A heartbeat is a background loop that runs forever: it calls
 * {@code beat}, sleeps, and calls it again. A program that starts one must still end when its
 * {@code main} returns. The JVM exits once every thread that is not a <em>daemon</em> has ended
 * (JLS §12.8), so the loop must run on a daemon thread: then it never keeps the program alive.
 * Write your solution in {@link YourHeartbeat}.
 *
 * <p>How it is graded (every rule is checked, in this JVM; the grading gives its own {@code beat}
 * and {@code sleeper}, so it decides when each sleep ends):
 *
 * <ol>
 *   <li>{@link #start} returns at once: the beats run on a new thread, never on the thread that
 *       called {@code start} (calling a thread's {@code run()} instead of {@code start()} would
 *       run the loop right there, and {@code start} would never return).</li>
 *   <li>The loop is {@code beat.run()}, then {@code sleeper.sleep(every)}, again and again. An
 *       {@link InterruptedException} from {@code sleep} ends the loop (don't catch it and go on):
 *       that is how a sleeping thread is told to stop.</li>
 *   <li>Every thread that {@code start} starts is a daemon, so the program can end while it beats:
 *       {@code setDaemon(true)} before {@code start()}, {@code Thread.ofPlatform().daemon()}, a
 *       virtual thread (always a daemon), or an executor whose thread factory makes daemons.</li>
 *   <li>Once the loop has ended, none of those threads is still running (an executor: shut it
 *       down once the loop is submitted; it finishes the loop, then its thread ends).</li>
 * </ol>
 */
public interface Heartbeat {

    /**
     * Starts the heartbeat on a background daemon thread and returns at once.
     *
     * @param beat    what to do at every beat
     * @param every   how long to sleep between beats
     * @param sleeper how to sleep: {@code sleeper.sleep(every)} (never {@code Thread.sleep})
     */
    void start(Runnable beat, Duration every, Sleeper sleeper);
}
