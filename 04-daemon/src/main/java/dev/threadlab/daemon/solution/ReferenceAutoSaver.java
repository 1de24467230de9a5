package dev.threadlab.daemon.solution;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.daemon.exercise.AutoSaver;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jcip.annotations.ThreadSafe;

/**
 * SPOILER: the reference solution of exercise 04.3.
 *
 * <ul>
 *   <li>One writer thread, from a single-thread {@link ThreadPoolExecutor} whose thread factory
 *       makes daemon threads ({@code Thread.ofPlatform().daemon().factory()}: daemon status is
 *       set before {@code start()}, the only time it can be). So the saver never keeps the
 *       program alive. ({@code Executors.newSingleThreadExecutor()} would make a user thread.)</li>
 *   <li>{@link #save} queues a task on the executor while holding the lock that {@link #close()}
 *       takes to stop accepting, so every accepted record is queued before the executor is shut
 *       down, and {@code shutdown()} lets queued tasks run.</li>
 *   <li>{@link #close()} is the explicit, bounded shutdown: a last task closes (flushes) the file,
 *       {@code shutdown()}, then wait at most the bound given to {@link #start} for that task. A
 *       shutdown hook calls the same {@code close()}, so a program that ends normally without
 *       closing, or is sent SIGTERM, still has every record written before the JVM halts.</li>
 *   <li>If the bound passes, {@code shutdownNow()} drops the tasks not yet run and interrupts the
 *       writer (a write stuck on a stream from {@code Files.newBufferedWriter} ends with
 *       {@code ClosedByInterruptException}), and {@code close()} waits for the writer to end
 *       before it throws, saying how many records were lost: every accepted record the writer
 *       has not flushed. No record goes missing silently, and no thread is left behind.</li>
 *   <li>The writer flushes whenever its queue is empty (group commit): many records per write
 *       under load, and little left unwritten if the process is killed with SIGKILL.</li>
 * </ul>
 *
 * <p>Sources: JDK javadoc of {@link Thread#setDaemon(boolean)}, {@link Runtime#addShutdownHook},
 * {@link java.util.concurrent.ExecutorService} (shutdown, awaitTermination, memory consistency).
 */
@ThreadSafe
public final class ReferenceAutoSaver implements AutoSaver {

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final Object lock = new Object();

    /** Starts its one (daemon) thread with the first task, not before. */
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("auto-saver").daemon().factory());

    @GuardedBy("lock")
    private State state = State.NEW;

    @GuardedBy("lock")
    private long accepted;

    @GuardedBy("lock")
    private Thread hook;

    /** The last task (close the file; returns the records written); set by the first close(). */
    @GuardedBy("lock")
    private Future<Long> finished;

    // Written by start() before the first task is queued (execute() publishes them to the writer
    // thread); from then on used only by the writer thread.
    private BufferedWriter out;
    private Duration closeBound;
    private long written;
    private IOException failure;

    /** Records written and flushed: written by the writer thread, read by close() when it gives up. */
    private volatile long flushed;

    @Override
    public void start(Path file, Duration closeBound) throws IOException {
        Objects.requireNonNull(file, "file");
        if (closeBound.isNegative() || closeBound.isZero()) {
            throw new IllegalArgumentException("closeBound must be positive: " + closeBound);
        }
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this saver is " + state);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.closeBound = closeBound;
            hook = Thread.ofPlatform().name("auto-saver-shutdown").unstarted(this::close);
            Runtime.getRuntime().addShutdownHook(hook);
            state = State.RUNNING;
        }
    }

    @Override
    public void save(String record) {
        Objects.requireNonNull(record, "record");
        if (record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a record is one line; this one has a line break: " + record);
        }
        synchronized (lock) { // the check and the queueing are one step for close(), which takes the same lock
            if (state != State.RUNNING) {
                throw new IllegalStateException((state == State.NEW ? "save() before start()" : "save() after close()")
                        + ": record refused: " + record);
            }
            accepted++;
            writer.execute(() -> write(record));
        }
    }

    /** On the writer thread. */
    private void write(String record) {
        if (failure != null) {
            return; // counted as not written; close() reports it
        }
        try {
            out.write(record);
            out.newLine();
            written++;
            if (writer.getQueue().isEmpty()) {
                out.flush();
                flushed = written;
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** On the writer thread, as its last task. */
    private long finish() {
        try {
            out.close();
            if (failure == null) {
                flushed = written;
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        return written;
    }

    @Override
    public void close() {
        Future<Long> done;
        long acceptedThen;
        Thread hookThen;
        Duration bound;
        synchronized (lock) {
            if (state == State.NEW) {
                state = State.CLOSED;
                return;
            }
            if (finished == null) { // the first close(): from now on save() refuses records
                state = State.CLOSED;
                finished = writer.submit(this::finish);
                writer.shutdown();
            }
            done = finished;
            acceptedThen = accepted;
            hookThen = hook;
            bound = closeBound;
        }
        try {
            long saved = done.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            writer.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
            if (saved != acceptedThen) {
                throw new IllegalStateException(saved + " of " + acceptedThen + " accepted records were saved");
            }
        } catch (TimeoutException e) {
            done.cancel(false); // a later close() does not wait for it again
            writer.shutdownNow(); // drops the tasks not run, and interrupts the writer's stuck write
            boolean ended = awaitWriter(bound);
            throw new IllegalStateException(
                    "close() gave up after " + bound.toMillis() + " ms: " + (acceptedThen - flushed) + " of "
                            + acceptedThen + " accepted records were lost (not written and flushed)"
                            + (ended ? "" : "; the writer thread did not end"),
                    e);
        } catch (CancellationException e) {
            throw new IllegalStateException(
                    "an earlier close() gave up: " + (acceptedThen - flushed) + " of " + acceptedThen
                            + " accepted records were lost (not written and flushed)",
                    e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "writing the file failed: " + (acceptedThen - flushed) + " of " + acceptedThen
                            + " accepted records were lost: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing: records may not all be written", e);
        } finally {
            removeHook(hookThen);
        }
    }

    /** Waits at most {@code bound} for the interrupted writer to end; @return whether it has. */
    private boolean awaitWriter(Duration bound) {
        try {
            return writer.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        if (hook == Thread.currentThread()) {
            return; // running as the hook: the JVM is already shutting down
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to; it will find the saver closed
        }
    }
}
