package dev.threadlab.daemon.exercise;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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
 * no-argument constructor that starts no thread. How long {@code close()} may wait is given to
 * {@code start}: a program passes a few seconds; the grading passes less where it makes the file
 * stall, so that a rule about giving up does not take seconds.
 *
 * <p>The rules the grading checks (each a test of {@code AutoSaverSpec}, in this order: the two
 * promises first). The file may be slow to write: the grading gives {@code start} a file whose
 * writes it holds back until it says so, like a stalled disk, in this JVM (a {@code Path} of the
 * grading's own, so that it sees which thread writes, and when) and in child JVMs that end by
 * returning from {@code main} and by SIGTERM (a named pipe nobody reads). Record counts are not
 * round numbers: a last partial batch must be written too.
 *
 * <ol>
 *   <li><b>Every record accepted from two threads is in the file after {@code close()}.</b> Once
 *       {@link #close()} has returned, each record {@link #save} accepted, from any thread, is in
 *       the file exactly once, in the order each thread saved them, and nothing else is. So
 *       {@code close()} waits for the writer, blocked ({@code join}, {@code awaitTermination}, a
 *       latch): the grading saves the last record with the file's writes held back, and lets the
 *       saver's threads write only while {@code close()} waits (or from {@code close()}'s own
 *       thread), so a {@code close()} that returns at once, or spins, returns without it.</li>
 *   <li><b>When {@code main} returns without {@code close()}, the program ends with every accepted
 *       record saved.</b> No thread of the saver keeps the JVM alive, and the shutdown hook's
 *       {@code close()} writes every record before the JVM exits, though the file is held back
 *       until then.</li>
 *   <li><b>No accepted record is lost on SIGTERM.</b> The same hook writes them, and the JVM exits
 *       with status 143 once it has.</li>
 *   <li><b>{@code close()} waits for a stuck writer only its bound, then says how many records were
 *       lost.</b> With the file stuck, {@code save} still returns at once (it only queues; neither
 *       {@code save} nor {@code close()} writes the file on the caller's thread), and
 *       {@code close()} waits for the writer at most the {@code closeBound} given to
 *       {@link #start}, never without a bound. It returns normally only once every record is
 *       written and flushed; if the bound passes first, it throws {@code IllegalStateException}
 *       whose message gives the number of records lost: every accepted record it has not seen
 *       written and flushed (a record in a {@code BufferedWriter}'s buffer is not saved).</li>
 *   <li><b>A second {@code close()} waits until the first has written every record.</b> It
 *       returns then, or once the first's bound has passed: a shutdown hook's {@code close()}
 *       that returned early would let the JVM halt.</li>
 *   <li><b>{@code close()} ends every thread the saver started, also when it gives up.</b> It
 *       waits for them (bounded). When its bound passes with the writer stuck in a write, it
 *       interrupts the writer (a write to a stream from {@code Files.newBufferedWriter} then ends
 *       with {@code ClosedByInterruptException}) and waits for it to end, again at most the
 *       bound, before it throws: once {@code close()} has returned or thrown, no thread of the
 *       saver is still running, or still stuck in a write. It waits for the writer itself: the
 *       grading lets an interrupted writer leave its write only while {@code close()} waits, and
 *       what {@code close()} waited on then (the writer's thread in a {@code join}, a latch, a
 *       {@code Future}) must be done when it returns: a thread ended, a latch counted down, not a
 *       wait that ran out its timeout.</li>
 *   <li><b>A {@code save} racing {@code close()} is either refused or written.</b> {@code save}
 *       checks that the saver is open and queues the record in one step as far as
 *       {@code close()} can tell (under the lock {@code close()} takes to stop accepting
 *       records): a record accepted after {@code close()} has queued its last task would never be
 *       written. The grading pauses a {@code save} before each step it takes (each field read or
 *       write, lock and call in your class) and runs {@code close()} there.</li>
 *   <li><b>The saver's threads wait for records without spinning.</b> With nothing to write, they
 *       block ({@code BlockingQueue.take()}, {@code poll} with a timeout, a condition's
 *       {@code await}), never loop on {@code poll()} or {@code isEmpty()}: a spinning thread
 *       burns a processor core for as long as the program runs.</li>
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
     * path it is given with {@code Files.newBufferedWriter(file)} (or {@code Files.newOutputStream},
     * {@code Files.write}): never through {@code java.io} ({@code file.toFile()}, whose writes an
     * interrupt cannot end), and never by deleting and re-creating it. Registers a shutdown hook
     * that calls {@link #close()}.
     *
     * @param file       the file to write
     * @param closeBound how long {@link #close()} waits for the writer, at most, before it gives up
     *                   (and again for the writer to end once interrupted)
     * @throws IOException           if the file cannot be created
     * @throws IllegalStateException if the saver was already started
     */
    void start(Path file, Duration closeBound) throws IOException;

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
     * the saver's threads. It waits for the writer at most the {@code closeBound} given to
     * {@link #start} ({@code join(Duration)}, {@code awaitTermination}, {@code Future.get} with a
     * timeout; never a wait without a bound, which hangs when the file stalls). It returns only once
     * every record is written or the bound has passed; if the bound passes, it interrupts the writer
     * (then a stuck write ends), waits for it to end (at most the bound again) and throws. Once it
     * has returned or thrown, the saver's threads have ended. Safe to call more than once and from
     * any thread (a second call, say from a shutdown hook, returns once the first has finished).
     * Removes the shutdown hook that {@link #start} registered, unless it is running as that hook
     * (then {@code removeShutdownHook} would throw). Does nothing if the saver was never started.
     *
     * @throws IllegalStateException if the records could not all be written within the bound, or
     *                               the file could not be written, saying how many were lost: the
     *                               accepted records not yet written and flushed
     */
    @Override
    void close();
}
