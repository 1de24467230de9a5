package dev.threadlab.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import net.jcip.annotations.ThreadSafe;

/**
 * A log writer as it is often first written: {@link #log} queues a line; a background daemon
 * thread, {@value #THREAD_NAME}, takes lines from the queue and appends them to a file in batches
 * of {@code batchSize}; the last, partial batch is written in the thread's {@code finally} block.
 *
 * <p>The hazard this class exists to show: as a daemon, the thread never keeps the program
 * alive, and when the JVM exits it simply stops. Its {@code finally} block does not run, so the
 * lines of the unfinished batch, and any still queued, never reach the file. The fix is to end it
 * explicitly, with a bound: {@link #close(Duration)} (from {@code main} before it returns, or
 * from a shutdown hook, which also runs on SIGTERM but never on {@code kill -9}).
 *
 * <p>Thread-safety: {@link #log} and {@link #close} may be called from any thread. Lines from one
 * thread are written in the order it logged them. Source: JDK {@link Thread#setDaemon(boolean)}
 * ("The Java Virtual Machine exits when the only threads running are all daemon threads") and
 * JLS §12.8.
 */
@ThreadSafe
public final class BatchingLogWriter {

    /** The writer thread's name. */
    public static final String THREAD_NAME = "log-writer";

    /** Put on the queue by {@link #close}: the writer stops when it takes it (compared by identity). */
    private static final String END = new String("<end of log>"); // new: a unique object, not an interned literal

    private final Path file;
    private final int batchSize;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();

    @GuardedBy("this")
    private long accepted;

    @GuardedBy("this")
    private boolean closed;

    /** Set by the writer thread if a write fails; read by {@link #close}. */
    private volatile IOException failure;

    /**
     * Creates the file (empty) and starts the daemon writer thread.
     *
     * @param file      where lines go, created or truncated
     * @param batchSize lines per write, at least 1
     * @throws IllegalArgumentException if {@code batchSize < 1}
     * @throws UncheckedIOException     if the file cannot be created
     */
    public BatchingLogWriter(Path file, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.file = file;
        this.batchSize = batchSize;
        try {
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log file " + file, e);
        }
        this.writer = Thread.ofPlatform().name(THREAD_NAME).daemon().start(this::writeUntilEnd);
    }

    /**
     * Accepts a line: queues it for the writer thread and returns at once.
     *
     * @param line one line of text, without line breaks
     * @throws IllegalStateException if the writer is closed (the line is refused, not dropped)
     */
    public synchronized void log(String line) {
        if (closed) {
            throw new IllegalStateException("the log writer is closed; refused: " + line);
        }
        accepted++;
        queue.add(line);
    }

    /** @return lines accepted by {@link #log} so far */
    public synchronized long accepted() {
        return accepted;
    }

    /** @return lines appended to the file so far */
    public long written() {
        return written.get();
    }

    /** @return the writer thread (a daemon) */
    public Thread thread() {
        return writer;
    }

    /**
     * Stops accepting lines, lets the writer write every accepted line (the last batch too), and
     * waits for it to end, at most {@code bound}. Safe to call more than once, from any thread.
     *
     * @param bound how long to wait for the writer, e.g. 5 s (a shutdown hook must be quick:
     *              the JVM waits for it)
     * @return true if every accepted line was written within the bound
     * @throws InterruptedException if interrupted while waiting
     * @throws UncheckedIOException if a write failed
     */
    public boolean close(Duration bound) throws InterruptedException {
        synchronized (this) {
            if (!closed) {
                closed = true;
                queue.add(END);
            }
        }
        writer.join(bound);
        if (failure != null) {
            throw new UncheckedIOException("writing " + file + " failed", failure);
        }
        return !writer.isAlive() && written() == accepted();
    }

    private void writeUntilEnd() {
        List<String> batch = new ArrayList<>(batchSize);
        try {
            for (String line = queue.take(); line != END; line = queue.take()) {
                batch.add(line);
                if (batch.size() == batchSize) {
                    append(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            append(batch); // the last, partial batch: at JVM exit a daemon never gets here
        }
    }

    private void append(List<String> batch) {
        try {
            Files.write(file, batch, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            written.addAndGet(batch.size());
        } catch (IOException e) {
            failure = e;
        } finally {
            batch.clear();
        }
    }
}
