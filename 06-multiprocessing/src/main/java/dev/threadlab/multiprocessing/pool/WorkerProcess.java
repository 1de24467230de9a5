package dev.threadlab.multiprocessing.pool;

import dev.threadlab.common.process.JavaProcess;
import dev.threadlab.multiprocessing.pool.Protocol.Chunk;
import dev.threadlab.multiprocessing.pool.Protocol.Failed;
import dev.threadlab.multiprocessing.pool.Protocol.Hello;
import dev.threadlab.multiprocessing.pool.Protocol.Message;
import dev.threadlab.multiprocessing.pool.Protocol.ProtocolException;
import dev.threadlab.multiprocessing.pool.Protocol.Results;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.NotThreadSafe;

/**
 * One worker JVM, seen from the pool: {@code java [options] -cp <this class path> Worker} started
 * with {@link ProcessBuilder} (through common's {@link JavaProcess}), spoken to over its stdin and
 * stdout in {@link Protocol} frames. Its stderr is the parent's unless redirected (a task's
 * prints and a JVM's start-up errors show up there).
 *
 * <pre>{@code
 * try (WorkerProcess worker = WorkerProcess.start(ProcessPool.DEFAULT_JVM_OPTIONS)) {
 *     List<Object> squares = worker.run("square", List.of(1, 2, 3), null, null); // [1, 4, 9]
 * }
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one thread (a pool's dispatcher) runs chunks on it. Only
 * {@link #pid()}, {@link #kill()} and {@link #closeInput()} may be called from other threads.
 */
@NotThreadSafe
public final class WorkerProcess implements AutoCloseable {

    /** How long {@link #close()} waits for the worker to exit once its stdin is closed, at most. */
    public static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final DataOutputStream toWorker;
    private final DataInputStream fromWorker;
    private long nextId;
    private boolean ready;
    private volatile boolean killed;
    private volatile boolean timedOut;
    private volatile boolean inputClosed;

    private WorkerProcess(Process process) {
        this.process = process;
        this.toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.fromWorker = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    /**
     * Starts a worker JVM and returns at once, without waiting for it to be ready (so several
     * can boot at the same time); the first {@link #run} or {@link #awaitReady()} waits.
     *
     * @param jvmOptions options for the worker JVM, e.g. {@link ProcessPool#DEFAULT_JVM_OPTIONS}
     * @throws UncheckedIOException if the {@code java} launcher cannot be started
     */
    public static WorkerProcess start(List<String> jvmOptions) {
        return start(jvmOptions, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Like {@link #start(List)}, with the worker's stderr sent to {@code stderr} instead of the
     * parent's (a test appends it to a file, to assert on it).
     *
     * @param stderr where the worker's stderr goes, e.g. {@code Redirect.appendTo(file)}
     */
    public static WorkerProcess start(List<String> jvmOptions, ProcessBuilder.Redirect stderr) {
        ProcessBuilder builder = JavaProcess.builder(Worker.class, jvmOptions).redirectError(stderr);
        try {
            return new WorkerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker JVM with " + builder.command(), e);
        }
    }

    /** @return the worker's process id */
    public long pid() {
        return process.pid();
    }

    /** @return true while the worker can take a chunk: not killed, its stdin open, its process alive */
    public boolean usable() {
        return !killed && !inputClosed && process.isAlive();
    }

    /**
     * Waits for the worker's hello.
     *
     * @throws TaskFailedException with {@link Reason#WORKER_DIED} if the JVM ended before it was ready
     */
    public void awaitReady() throws TaskFailedException {
        awaitReady("the worker");
    }

    private void awaitReady(String what) throws TaskFailedException {
        if (ready) {
            return;
        }
        try {
            Message hello = Protocol.read(fromWorker);
            if (hello == null) {
                throw new IOException("end of stream");
            }
            if (!(hello instanceof Hello h) || h.version() != Protocol.VERSION) {
                throw new ProtocolException(
                        "expected a hello of protocol version " + Protocol.VERSION + ", got " + hello);
            }
            ready = true;
        } catch (IOException e) {
            throw lost(what + " was not run", "before it was ready", e);
        }
    }

    /**
     * Runs {@code task} on each item in the worker and waits for the answer.
     *
     * @param timeout how long the chunk may take once sent (null: no limit); past it the worker
     *                is killed
     * @param timer   schedules the timeout's kill; needed only with a timeout
     * @return one result per item, in item order
     * @throws TaskFailedException      {@link Reason#TASK_THREW} with the task's exception as a
     *                                  {@link RemoteTaskException} cause (the worker lives on);
     *                                  {@link Reason#WORKER_DIED} with the pid and exit code;
     *                                  {@link Reason#TIMED_OUT}; {@link Reason#POOL_CLOSED} if
     *                                  {@link #closeInput()} was called meanwhile
     * @throws IllegalArgumentException if an item is not a value {@link Protocol} can carry, the
     *                                  chunk exceeds the frame limit, or there is a timeout but no timer
     */
    public List<Object> run(String task, List<?> items, Duration timeout, ScheduledExecutorService timer)
            throws TaskFailedException {
        if (timeout != null && timer == null) {
            throw new IllegalArgumentException("a timeout needs a timer to schedule it");
        }
        Chunk chunk = new Chunk(nextId++, task, new ArrayList<>(items));
        Protocol.checkChunkFits(task, chunk.items()); // too big for a frame: the caller's mistake, not the worker's
        String name = TaskFailedException.describe(task, items);
        awaitReady(name);
        ScheduledFuture<?> alarm =
                timeout == null ? null : timer.schedule(this::killForTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Protocol.write(toWorker, chunk);
            Message answer = Protocol.read(fromWorker);
            if (answer == null) {
                throw new IOException("end of stream");
            }
            if (answer instanceof Results r
                    && r.id() == chunk.id()
                    && r.values().size() == items.size()) {
                return r.values();
            }
            if (answer instanceof Failed f && f.id() == chunk.id() && f.index() >= 0 && f.index() < items.size()) {
                String failedItem = TaskFailedException.describe(task, List.of(String.valueOf(items.get(f.index()))));
                RemoteTaskException cause = new RemoteTaskException(f.type(), f.message(), f.trace());
                throw new TaskFailedException(
                        Reason.TASK_THREW,
                        failedItem + " threw " + cause.getMessage() + " (worker pid " + pid() + ")",
                        pid(),
                        f.index(),
                        cause);
            }
            throw new ProtocolException(
                    "chunk " + chunk.id() + " of " + items.size() + " items was answered with " + answer);
        } catch (IOException e) {
            if (timedOut) {
                throw new TaskFailedException(
                        Reason.TIMED_OUT,
                        name + " timed out after " + timeout.toMillis() + " ms on worker pid " + pid()
                                + ", which was killed",
                        pid(),
                        -1,
                        null);
            }
            throw lost(name + " failed", "while running it", e);
        } finally {
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
    }

    /** The worker's stream broke: find out how it ended, and say so. */
    private TaskFailedException lost(String what, String when, IOException broken) {
        if (inputClosed) {
            kill();
            return new TaskFailedException(
                    Reason.POOL_CLOSED,
                    what + ": the pool was closed while worker pid " + pid() + " was running it",
                    pid(),
                    -1,
                    broken);
        }
        String how;
        if (broken instanceof ProtocolException) {
            kill();
            how = "broke the protocol (" + broken.getMessage() + ") and was killed, " + exitStatus();
        } else {
            how = "died with " + exitStatus();
        }
        return new TaskFailedException(
                Reason.WORKER_DIED, what + ": worker pid " + pid() + " " + how + " " + when, pid(), -1, broken);
    }

    /** Waits (bounded) for the process to end and describes its exit code. */
    private String exitStatus() {
        try {
            if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                return "its output closed while it still ran; it was killed, "
                        + (process.isAlive()
                                ? "and is still dying"
                                : TaskFailedException.exitCode(process.exitValue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "an exit code not known yet (interrupted while waiting for it)";
        }
        return TaskFailedException.exitCode(process.exitValue());
    }

    private void killForTimeout() {
        timedOut = true;
        kill();
    }

    /** Kills the worker at once (SIGKILL); a chunk it was running fails. Safe from any thread. */
    public void kill() {
        killed = true;
        process.destroyForcibly();
    }

    /**
     * Closes the worker's stdin: the worker sees end of input and exits, even in the middle of a
     * task, which then fails with {@link Reason#POOL_CLOSED}. Safe from any thread.
     */
    public void closeInput() {
        inputClosed = true;
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            kill(); // cannot tell it politely
        }
    }

    /**
     * Ends the worker: closes its stdin, waits up to {@link #EXIT_GRACE} for it to exit, kills it
     * if it has not, and waits for that too. When this returns the process has ended.
     */
    @Override
    public void close() {
        closeInput();
        boolean interrupted = false;
        while (true) {
            try {
                if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                    process.waitFor();
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish cleaning up first: an orphan JVM is worse than a late interrupt
                kill();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "worker pid " + pid() + (usable() ? "" : " (ended)");
    }
}
