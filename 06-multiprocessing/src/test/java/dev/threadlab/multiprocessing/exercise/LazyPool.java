package dev.threadlab.multiprocessing.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jcip.annotations.ThreadSafe;

/**
 * A {@link ProcessPool} started on the first chunk submitted, so that grading an untouched stub
 * (which submits nothing) starts no JVM. It also tells when the last chunk ended, so that a map
 * that hangs on it is told so ({@link MapCall}).
 */
@ThreadSafe
final class LazyPool implements ChunkRunner, AutoCloseable, MapCall.Watched {

    private final int workers;

    @GuardedBy("this")
    private ProcessPool pool;

    /** Guards the count below; not {@code this}, which close() holds while the pool fails its chunks. */
    private final Object chunks = new Object();

    @GuardedBy("chunks")
    private int running;

    @GuardedBy("chunks")
    private long lastEnded = System.nanoTime();

    LazyPool(int workers) {
        this.workers = workers;
    }

    @Override
    public void callerIs(Thread mapThread) {
        // a real pool needs no script
    }

    @Override
    public synchronized CompletableFuture<List<Object>> submit(String task, List<?> items) {
        if (pool == null) {
            pool = ProcessPool.start(workers);
        }
        CompletableFuture<List<Object>> chunk = pool.submit(task, items);
        synchronized (chunks) {
            running++;
        }
        chunk.whenComplete((results, failure) -> ended());
        return chunk;
    }

    private void ended() {
        synchronized (chunks) {
            running--;
            lastEnded = System.nanoTime();
        }
    }

    @Override
    public long quietSince() {
        synchronized (chunks) {
            return running == 0 ? lastEnded : -1;
        }
    }

    /** Closes the pool if it was started: every worker has exited when this returns. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
