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
 *
 * <p>The chunks end, for map, in the order map submitted them, whatever order the two workers
 * finish them in: the future map gets is completed, with what the pool's future was completed
 * with, once that chunk and every chunk submitted before it have ended on the workers, one at a
 * time, on one thread at a time. Which worker finishes first is up to the scheduler; what map sees
 * is not, so a map that collects results in completion order gets the same verdict on every run
 * (the scripted rules end chunks out of order on purpose).
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

    /** A chunk on the pool, and the future map got for it. */
    private record Chunk(CompletableFuture<List<Object>> onPool, CompletableFuture<List<Object>> forMap) {}

    /** The chunks not yet told to map, in the order map submitted them. */
    @GuardedBy("chunks")
    private final java.util.ArrayDeque<Chunk> untold = new java.util.ArrayDeque<>();

    /** True while a thread tells map of ended chunks ({@link #tellInOrder}): one at a time. */
    @GuardedBy("chunks")
    private boolean telling;

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
        CompletableFuture<List<Object>> onPool = pool.submit(task, items);
        CompletableFuture<List<Object>> forMap = new CompletableFuture<>();
        synchronized (chunks) {
            running++;
            untold.add(new Chunk(onPool, forMap));
        }
        forMap.whenComplete((results, failure) -> ended());
        onPool.whenComplete((results, failure) -> tellInOrder());
        return forMap;
    }

    /**
     * Completes map's future of each chunk that has ended on the pool, in submission order, up to the
     * first one still running; outside the lock (map's callbacks may submit), and by one thread at a
     * time, so that map sees them end in that order.
     */
    private void tellInOrder() {
        while (true) {
            Chunk next;
            synchronized (chunks) {
                if (telling || untold.isEmpty() || !untold.peek().onPool().isDone()) {
                    return;
                }
                next = untold.poll();
                telling = true;
            }
            try {
                next.onPool().whenComplete((results, failure) -> {
                    if (failure != null) {
                        next.forMap()
                                .completeExceptionally(
                                        failure instanceof java.util.concurrent.CompletionException
                                                        && failure.getCause() != null
                                                ? failure.getCause()
                                                : failure);
                    } else {
                        next.forMap().complete(results);
                    }
                });
            } finally {
                synchronized (chunks) {
                    telling = false;
                }
            }
        }
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
