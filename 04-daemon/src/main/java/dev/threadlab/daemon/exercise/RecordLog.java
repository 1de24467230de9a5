package dev.threadlab.daemon.exercise;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Exercise 04.2: keep the last records. A record log writes lines to a file through a buffer
 * ({@code BufferedWriter}): a record first goes to memory, and reaches the file when the buffer
 * fills or is flushed. That makes writing fast, and it means a program that ends without a flush
 * loses the records still in the buffer. When {@code main} returns (or SIGTERM arrives) the JVM
 * runs its <em>shutdown hooks</em> (threads registered with {@code Runtime.addShutdownHook},
 * started by the JVM as it exits), then halts: whatever a hook did not write is gone. Write your
 * solution in {@link YourRecordLog}; grade it with {@code ./threadlab check 04.2}; take the hints
 * one at a time with {@code ./threadlab hint 04.2}.
 *
 * <p>The rules the grading checks (each a test of {@code RecordLogSpec}, in this order; all in
 * this JVM). The grading plays the JVM's part: it reads the shutdown hooks registered by
 * {@link #open}, and to end the program it runs them, as the JVM does at exit, then reads the
 * file: only what the hooks wrote counts.
 *
 * <ol>
 *   <li><b>Every appended record is in the file after {@link #close()}.</b> One a line, in
 *       order.</li>
 *   <li><b>When the program ends without {@code close()}, the hook writes every record.</b>
 *       {@link #open} registers one shutdown hook, and that hook writes every record appended so
 *       far (flush, or close, the writer that holds them).</li>
 *   <li><b>The hook does not remove itself while the program ends.</b> During shutdown
 *       {@code Runtime.removeShutdownHook} throws {@code IllegalStateException} ("Shutdown in
 *       progress"). If the hook calls {@code close()}, {@code close()} skips removing it when it
 *       runs on the hook's thread.</li>
 *   <li><b>{@link #close()} removes the hook it registered.</b> It calls
 *       {@code Runtime.removeShutdownHook}: a closed log needs no hook, and every hook left
 *       registered keeps its log in memory until the JVM exits.</li>
 *   <li><b>The hook never ends while an append() is in the middle of a record.</b> Records are
 *       appended from one thread, and the hook runs on another: guard the writer with one lock
 *       that {@link #append} and what the hook runs both hold ({@code synchronized} on both), so
 *       the hook waits for the record being appended to be whole. The grading pauses an
 *       {@code append()} before each of its steps in turn (your class loaded again with a pause
 *       point before each field access, lock and call) and meanwhile ends the program: the hook
 *       either waits for that {@code append()}, or runs to its end leaving only whole records,
 *       every earlier one included (a hook that flushes between {@code write(record)} and
 *       {@code newLine()} leaves a torn record). The verdict names the lock {@code append()} holds
 *       and the one the hook holds (or that one of them holds none): {@code append()} being
 *       {@code synchronized} is not enough if the hook takes another lock, or none.</li>
 * </ol>
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface RecordLog extends AutoCloseable {

    /**
     * Creates (or empties) {@code file}, opens a buffered writer on it, and registers a shutdown
     * hook that writes the buffered records.
     *
     * @param file the file to write
     * @throws IOException if it cannot be created
     */
    void open(Path file) throws IOException;

    /**
     * Appends one record (a line, without line breaks) to the buffer. Does not need to flush.
     *
     * @param record the line
     */
    void append(String record);

    /** Flushes and closes the file, and removes the shutdown hook (unless it runs as the hook). */
    @Override
    void close();
}
