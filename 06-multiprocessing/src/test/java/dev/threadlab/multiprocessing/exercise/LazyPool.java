package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jcip.annotations.GuardedBy;
import net.jcip.annotations.ThreadSafe;

/**
 * A {@link ProcessPool} started on the first chunk submitted, so that grading an untouched stub
 * (which submits nothing) starts no JVM.
 */
@ThreadSafe
final class LazyPool implements ChunkRunner, AutoCloseable {

    private final int workers;

    @GuardedBy("this")
    private ProcessPool pool;

    LazyPool(int workers) {
        this.workers = workers;
    }

    @Override
    public synchronized CompletableFuture<List<Object>> submit(String task, List<?> items) {
        if (pool == null) {
            pool = ProcessPool.start(workers);
        }
        return pool.submit(task, items);
    }

    /** Closes the pool if it was started: every worker has exited when this returns. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
