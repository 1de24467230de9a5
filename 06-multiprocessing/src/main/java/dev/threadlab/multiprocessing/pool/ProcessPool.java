package dev.threadlab.multiprocessing.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.multiprocessing.exercise.PoolMap;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jcip.annotations.ThreadSafe;

/**
 * A pool of worker JVMs, the Java counterpart of CPython's {@code multiprocessing.Pool}: each
 * worker is a separate process with its own memory, started with {@link ProcessBuilder} from the
 * same {@code java} and class path ({@link WorkerProcess}), fed chunks of tasks over its stdin.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.start(2, poolMap)) {          // with Pool(2) as pool:
 *     List<Object> counts = pool.map("countPrimes", limits, 1);    //     pool.map(count_primes, limits, 1)
 * }
 * }</pre>
 *
 * <p>{@link #map} is the module's exercise 06.2, so the pool does not come with one: it runs the
 * {@link PoolMap} it was started with (the demos pass {@code PoolMapChoice}'s, the reference or
 * the learner's, as {@code --solution} says). A pool started without one offers
 * {@link #submit}, {@link #apply} and {@link #pids}, the primitives a {@code map} is built on.
 *
 * <p>How it works (CPython's {@code Lib/multiprocessing/pool.py} has a task-handler thread, a
 * result-handler thread and the workers; here each worker has one dispatcher thread): submitted
 * chunks wait in one queue; each worker's dispatcher thread takes the next chunk, writes it to its
 * worker and blocks reading the answer, then completes the chunk's future.
 *
 * <p>Every chunk is accounted for: its future completes with the results, or with a
 * {@link TaskFailedException} that says why. A worker that dies (killed, crashed) fails the chunk
 * it was running with its pid and exit code, and is replaced by a fresh JVM: the pool goes on.
 * {@link #close()} fails the chunks still queued, ends every worker and waits until each has
 * exited. A worker whose parent dies exits by itself: it sees the end of its stdin.
 *
 * <p>Thread-safety: thread-safe; any thread may submit, and close.
 */
@ThreadSafe
public final class ProcessPool implements ChunkRunner, AutoCloseable {

    /**
     * The worker JVMs' options: the serial collector (a worker is one busy thread; it needs no
     * parallel GC threads), no perf-data file in /tmp, and a heap bound, since each worker is a
     * whole JVM with its own heap.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx256m");

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A chunk waiting for a worker, and where its outcome goes. */
    private record Job(String task, List<Object> items, Duration timeout, CompletableFuture<List<Object>> result) {}

    /** Tells a dispatcher to stop. */
    private static final Job STOP = new Job("stop", List.of(), null, new CompletableFuture<>());

    private final List<String> jvmOptions;
    private final ProcessBuilder.Redirect workerStderr;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final ScheduledThreadPoolExecutor timer;
    private final List<Thread> dispatchers;
    private final PoolMap poolMap; // null: this pool has no map

    @GuardedBy("this") // its slots; the length is fixed
    private final WorkerProcess[] workers;

    private final int size;

    @GuardedBy("this")
    private boolean closed;

    private ProcessPool(int size, PoolMap poolMap, List<String> jvmOptions, ProcessBuilder.Redirect workerStderr) {
        this.poolMap = poolMap;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.workerStderr = workerStderr;
        int number = POOLS.incrementAndGet();
        this.workers = new WorkerProcess[size];
        this.size = size;
        this.timer = new ScheduledThreadPoolExecutor(
                1,
                r -> Thread.ofPlatform()
                        .name("pool-" + number + "-timer")
                        .daemon(true)
                        .unstarted(r));
        this.timer.setRemoveOnCancelPolicy(true);
        synchronized (this) {
            try {
                for (int slot = 0; slot < size; slot++) {
                    workers[slot] = WorkerProcess.start(this.jvmOptions, workerStderr);
                }
            } catch (RuntimeException e) {
                Arrays.stream(workers).filter(w -> w != null).forEach(WorkerProcess::close);
                timer.shutdownNow();
                throw e;
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int slot = 0; slot < size; slot++) {
            int s = slot;
            threads.add(Thread.ofPlatform()
                    .name("pool-" + number + "-dispatcher-" + (slot + 1))
                    .daemon(true)
                    .start(() -> dispatch(s)));
        }
        this.dispatchers = List.copyOf(threads);
    }

    /**
     * Starts {@code workers} worker JVMs with {@link #DEFAULT_JVM_OPTIONS}. Returns as soon as
     * they are launched; they boot in parallel and the first chunk each gets waits for it.
     *
     * @param workers how many, at least 1 (CPython's default is the number of CPUs)
     * @throws IllegalArgumentException if {@code workers < 1}
     * @throws java.io.UncheckedIOException if a JVM cannot be launched
     */
    public static ProcessPool start(int workers) {
        return start(workers, DEFAULT_JVM_OPTIONS);
    }

    /**
     * Like {@link #start(int)}, with the {@code PoolMap} that {@link #map} runs.
     *
     * @param poolMap the reference or the learner's, from {@code PoolMapChoice}
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static ProcessPool start(int workers, PoolMap poolMap) {
        Objects.requireNonNull(poolMap, "poolMap (start(workers) makes a pool without map)");
        return start(workers, poolMap, DEFAULT_JVM_OPTIONS, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Like {@link #start(int)}, with these options for each worker JVM.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static ProcessPool start(int workers, List<String> jvmOptions) {
        return start(workers, jvmOptions, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Like {@link #start(int, List)}, with every worker's stderr (its successors' too) sent to
     * {@code workerStderr} instead of this JVM's, e.g. {@code Redirect.appendTo(file)} in a test.
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static ProcessPool start(int workers, List<String> jvmOptions, ProcessBuilder.Redirect workerStderr) {
        return start(workers, null, jvmOptions, workerStderr);
    }

    private static ProcessPool start(
            int workers, PoolMap poolMap, List<String> jvmOptions, ProcessBuilder.Redirect workerStderr) {
        if (workers < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 worker, not " + workers);
        }
        return new ProcessPool(workers, poolMap, jvmOptions, workerStderr);
    }

    /** @return the number of workers */
    public int size() {
        return size;
    }

    /** @return the pids of the current workers, one per slot (a replaced worker's successor in its place) */
    public synchronized List<Long> pids() {
        return Arrays.stream(workers).map(WorkerProcess::pid).toList();
    }

    @Override
    public CompletableFuture<List<Object>> submit(String task, List<?> items) {
        return submit(task, items, null);
    }

    /**
     * Like {@link #submit(String, List)}, with a time limit: once the chunk has been sent to a
     * worker (after that worker is ready), it may take {@code timeout}; then the worker is
     * killed, the chunk fails with {@link Reason#TIMED_OUT}, and a new worker takes its place.
     *
     * @param timeout positive, or null for no limit
     */
    public CompletableFuture<List<Object>> submit(String task, List<?> items, Duration timeout) {
        Tasks.lookup(task);
        List<Object> copy = new ArrayList<>(items);
        Protocol.checkChunkFits(task, copy); // refused here, before a worker could be blamed for it
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a timeout must be positive, not " + timeout);
        }
        Job job = new Job(task, copy, timeout, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the pool is closed");
            }
            queue.add(job);
        }
        return job.result();
    }

    /**
     * Runs one task on one argument in a worker and waits, like CPython's {@code Pool.apply}.
     *
     * @throws TaskFailedException if the task threw, its worker died, or the pool was closed
     */
    public Object apply(String task, Object argument) throws TaskFailedException, InterruptedException {
        return await(submit(task, Collections.singletonList(argument))).get(0);
    }

    /** Like {@link #apply(String, Object)} with a time limit (see {@link #submit(String, List, Duration)}). */
    public Object apply(String task, Object argument, Duration timeout)
            throws TaskFailedException, InterruptedException {
        return await(submit(task, Collections.singletonList(argument), timeout)).get(0);
    }

    /**
     * Runs {@code task} on every item, {@code chunkSize} items per chunk, on all workers at once,
     * and returns the results in item order, like CPython's {@code Pool.map(func, iterable,
     * chunksize)}. This is exercise 06.2: the pool runs the {@link PoolMap} it was started
     * with ({@link #start(int, PoolMap)}), the reference or the learner's.
     *
     * @throws TaskFailedException the failure of the earliest failed chunk, once every chunk has ended
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws IllegalStateException if the pool was started without a {@code PoolMap}
     */
    public List<Object> map(String task, List<?> items, int chunkSize)
            throws TaskFailedException, InterruptedException {
        if (poolMap == null) {
            throw new IllegalStateException("this pool was started without a PoolMap: start it with "
                    + "ProcessPool.start(workers, poolMap) to call map");
        }
        return poolMap.map(this, task, items, chunkSize);
    }

    /** Waits for a chunk's future and unwraps its failure. */
    public static List<Object> await(CompletableFuture<List<Object>> chunk)
            throws TaskFailedException, InterruptedException {
        try {
            return chunk.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TaskFailedException failure) {
                throw failure;
            }
            throw new IllegalStateException("a chunk failed without a TaskFailedException", e.getCause());
        }
    }

    private void dispatch(int slot) {
        WorkerProcess worker;
        synchronized (this) {
            worker = workers[slot];
        }
        try {
            while (true) {
                Job job = queue.take();
                if (job == STOP) {
                    return;
                }
                if (worker == null || !worker.usable()) {
                    worker = replace(slot, worker);
                    if (worker == null) {
                        job.result().completeExceptionally(notRun(job));
                        continue;
                    }
                }
                TaskFailedException failure;
                try {
                    job.result().complete(worker.run(job.task(), job.items(), job.timeout(), timer));
                    continue;
                } catch (TaskFailedException e) {
                    failure = e;
                } catch (RuntimeException bug) {
                    worker.kill();
                    failure = new TaskFailedException(
                            Reason.WORKER_DIED,
                            TaskFailedException.describe(job.task(), job.items()) + " failed in the pool: " + bug,
                            worker.pid(),
                            -1,
                            bug);
                }
                if (!worker.usable()) {
                    // Replace it before reporting, so that whoever hears of the failure finds a full pool.
                    worker = replace(slot, worker);
                }
                job.result().completeExceptionally(failure);
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: stop
        } finally {
            if (worker != null) {
                worker.close();
            }
        }
    }

    /** Ends a dead worker and starts its successor; null if the pool is closing. */
    private WorkerProcess replace(int slot, WorkerProcess dead) {
        if (dead != null) {
            dead.close();
        }
        synchronized (this) {
            if (closed) {
                return null;
            }
            WorkerProcess fresh = WorkerProcess.start(jvmOptions, workerStderr);
            workers[slot] = fresh;
            return fresh;
        }
    }

    private static TaskFailedException notRun(Job job) {
        return new TaskFailedException(
                Reason.POOL_CLOSED,
                TaskFailedException.describe(job.task(), job.items()) + " was not run: the pool was closed first",
                -1,
                -1,
                null);
    }

    /**
     * Closes the pool: chunks still queued fail with {@link Reason#POOL_CLOSED}; chunks running
     * fail the same way, because every worker's stdin is closed and a worker exits at the end of
     * its input, even mid-task. Returns when every worker process has exited and every pool
     * thread has ended. Idempotent.
     */
    @Override
    public void close() {
        List<WorkerProcess> current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = List.of(workers);
            List<Job> waiting = new ArrayList<>();
            queue.drainTo(waiting);
            waiting.forEach(job -> job.result().completeExceptionally(notRun(job)));
            dispatchers.forEach(d -> queue.add(STOP));
        }
        current.forEach(WorkerProcess::closeInput);
        boolean interrupted = false;
        for (Thread dispatcher : dispatchers) {
            while (dispatcher.isAlive()) {
                try {
                    dispatcher.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish: a pool must not leave a JVM behind
                }
            }
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
