package dev.threadlab.daemon.exercise;

import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * Exercise 04.1: make a program exit. A heartbeat is a background loop that runs forever: it calls
 * {@code beat}, sleeps, and calls it again. A program that starts one must still end when its
 * {@code main} returns. The JVM exits once every thread that is not a <em>daemon</em> has ended
 * (JLS §12.8), so the loop must run on a daemon thread: then it never keeps the program alive.
 * Write your solution in {@link YourHeartbeat}; grade it with {@code ./threadlab check 04.1}; take
 * the hints one at a time with {@code ./threadlab hint 04.1}.
 *
 * <p>The rules the grading checks (each a test of {@code HeartbeatSpec}, in this order; all in
 * this JVM, with the grading's own {@code beat} and {@code sleeper}, so it decides when each sleep
 * ends):
 *
 * <ol>
 *   <li><b>{@link #start} returns at once and the beats run on another thread.</b> A new one,
 *       never the thread that called {@code start} (calling a thread's {@code run()} instead of
 *       {@code start()} would run the loop right there, and {@code start} would never
 *       return).</li>
 *   <li><b>It beats and sleeps until interrupted, then every thread it started ends.</b> The loop
 *       is {@code beat.run()}, then {@code sleeper.sleep(every)}, again and again. An
 *       {@link InterruptedException} from {@code sleep} ends the loop (don't catch it and go on):
 *       that is how a sleeping thread is told to stop. Once the loop has ended, none of the
 *       threads {@code start} started is still running (an executor: shut it down once the loop
 *       is submitted; it finishes the loop, then its thread ends).</li>
 *   <li><b>Every thread the heartbeat starts is a daemon.</b> So the program can end while it
 *       beats: {@code setDaemon(true)} before {@code start()}, {@code Thread.ofPlatform().daemon()},
 *       a virtual thread (always a daemon), or an executor whose thread factory makes
 *       daemons.</li>
 * </ol>
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
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
