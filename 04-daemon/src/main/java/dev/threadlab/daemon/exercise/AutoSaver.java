package dev.threadlab.daemon.exercise;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Exercise 04.3 (the capstone, after 04.1 and 04.2): a background auto-saver. The program hands it
 * records; a background thread writes them to a file. Two promises, which pull against each
 * other:
 *
 * <ul>
 *   <li><b>It never keeps the program alive.</b> When {@code main} returns, the JVM exits, even if
 *       nobody called {@link #close()}: every thread the saver leaves running must be a daemon
 *       (a virtual thread always is).</li>
 *   <li><b>It never loses an accepted record</b> when the program ends normally ({@code main}
 *       returns, with or without {@link #close()}) or is ended by SIGTERM ({@code kill PID},
 *       {@code Process.destroy()}). Once {@link #save} has returned, the record must be in the
 *       file by the time the JVM has exited, however slow the file is to write. (Nothing can
 *       promise this for {@code kill -9}.)</li>
 * </ul>
 *
 * <p>A daemon thread alone breaks the second promise (it is stopped mid-work at exit, its
 * {@code finally} blocks never run); a user thread alone breaks the first. So {@link #start}
 * registers a shutdown hook that calls {@link #close()}, and {@code close()} removes it again
 * ({@code Runtime.removeShutdownHook}) unless it is running as the hook. Write your solution in
 * {@link YourAutoSaver}; grade it with {@code ./threadlab check 04.3}; take the hints one at a time
 * with {@code ./threadlab hint 04.3}.
 *
 * <p>Lifecycle: {@link #start} once, then {@link #save} any number of times, from any threads,
 * then {@link #close()} (optional: the program may forget it). Implementations need a public
 * no-argument constructor that starts no thread.
 *
 * <p>The rules the grading checks (each a test of {@code AutoSaverSpec}, in this order: the two
 * promises first). The file may be slow to write: the grading gives {@code start} a named pipe
 * that nobody reads until it says so, like a stalled disk, in this JVM and in child JVMs that end
 * by returning from {@code main} and by SIGTERM. Record counts are not round numbers: a last
 * partial batch must be written too.
 *
 * <ol>
 *   <li><b>Every record accepted from two threads is in the file after {@code close()}.</b> Once
 *       {@link #close()} has returned, each record {@link #save} accepted, from any thread, is in
 *       the file exactly once, in the order each thread saved them, and nothing else is.</li>
 *   <li><b>When {@code main} returns without {@code close()}, the program ends with every accepted
 *       record saved.</b> No thread of the saver keeps the JVM alive, and the shutdown hook's
 *       {@code close()} writes every record before the JVM exits, though the file is held back
 *       until then.</li>
 *   <li><b>No accepted record is lost on SIGTERM.</b> The same hook writes them, and the JVM exits
 *       with status 143 once it has.</li>
 *   <li><b>{@code close()} waits for a stuck writer only a bounded time.</b> With the writer stuck,
 *       {@code save} still returns at once (it only queues), and {@code close()} waits with a
 *       bound, never without one; it returns normally only once every record is written, and
 *       throws {@code IllegalStateException} if the bound passes first.</li>
 *   <li><b>A second {@code close()} waits until the first has written every record.</b> It
 *       returns then, or once the first's bound has passed: a shutdown hook's {@code close()}
 *       that returned early would let the JVM halt.</li>
 *   <li><b>{@code close()} ends every thread the saver started.</b> It waits for them (a bounded
 *       time).</li>
 *   <li><b>{@code close()} removes the shutdown hook it registered.</b> It leaves the hook only
 *       when it runs as that hook; {@code start} must have registered one.</li>
 *   <li><b>{@code save} after {@code close()} is refused, not silently dropped.</b> It throws
 *       {@code IllegalStateException}.</li>
 *   <li><b>{@code save} before {@code start} is refused.</b> It throws
 *       {@code IllegalStateException}.</li>
 *   <li><b>Starting twice is refused.</b> The second {@code start} throws
 *       {@code IllegalStateException}.</li>
 *   <li><b>A record with a line break is refused.</b> {@code save} of a record holding {@code \n}
 *       or {@code \r} throws {@code IllegalArgumentException}, and the record never reaches the
 *       file.</li>
 * </ol>
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface AutoSaver extends AutoCloseable {

    /**
     * Creates (or empties) {@code file} and starts saving to it: one record a line, UTF-8, in the
     * order each thread saved them, each accepted record exactly once and nothing else. Opens the
     * path it is given for writing ({@code Files.newBufferedWriter(file)}), never deletes and
     * re-creates it. Registers a shutdown hook that calls {@link #close()}.
     *
     * @param file the file to write
     * @throws IOException           if the file cannot be created
     * @throws IllegalStateException if the saver was already started
     */
    void start(Path file) throws IOException;

    /**
     * Accepts one record. Returns quickly, without waiting for the file, even while the writer is
     * stuck (queue the record, with no bound on the queue): the writing happens in the background.
     * Safe to call from many threads at once.
     *
     * @param record one line of text, without line breaks
     * @throws IllegalArgumentException if {@code record} contains a line break
     * @throws IllegalStateException    if the saver is not started, or already closed: the record
     *                                  is refused loudly, never silently dropped
     */
    void save(String record);

    /**
     * Writes every accepted record to the file (a last partial batch too), flushes it, and stops
     * the saver's threads, waiting for them a bounded time (a few seconds: {@code join(Duration)},
     * {@code awaitTermination}, {@code Future.get} with a timeout; never a wait without a bound,
     * which hangs when the file stalls). It returns only once every record is written or the bound
     * has passed, and once it has returned the saver's threads have ended. Safe to call more than
     * once and from any thread (a second call, say from a shutdown hook, returns once the first has
     * finished). Removes the shutdown hook that {@link #start} registered, unless it is running as
     * that hook (then {@code removeShutdownHook} would throw). Does nothing if the saver was never
     * started.
     *
     * @throws IllegalStateException if the records could not all be written within the bound, or
     *                               the file could not be written, saying how many were lost
     */
    @Override
    void close();
}
