package dev.threadlab.multiprocessing.solution;

import dev.threadlab.multiprocessing.exercise.PoolMap;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference {@code Pool.map} (spoilers: try {@code YourPoolMap} first). It follows CPython's
 * {@code Pool._map_async} and {@code MapResult} ({@code Lib/multiprocessing/pool.py}): chunk the
 * items, queue every chunk, then collect. Two choices differ from CPython, on purpose:
 * <ul>
 *   <li>CPython keeps the first failure <em>in time</em>; this keeps the earliest <em>in item
 *       order</em>, so the same input fails the same way on every run, and attaches the others
 *       as suppressed instead of dropping them.</li>
 *   <li>Like CPython ("only consider the result ready once all jobs are done"), it throws only
 *       after every chunk has ended.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless; each call works on its own locals.
 */
@ThreadSafe
public final class ReferencePoolMap implements PoolMap {

    @Override
    public List<Object> map(ChunkRunner runner, String task, List<?> items, int chunkSize)
            throws TaskFailedException, InterruptedException {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, not " + chunkSize);
        }
        // 1. Submit every chunk before waiting for any: the workers start on them at once.
        List<CompletableFuture<List<Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += chunkSize) {
            chunks.add(runner.submit(task, items.subList(from, Math.min(items.size(), from + chunkSize))));
        }
        // 2. Wait for each chunk in item order; a failure is kept, not thrown yet.
        List<Object> results = new ArrayList<>(items.size());
        TaskFailedException first = null;
        for (CompletableFuture<List<Object>> chunk : chunks) {
            try {
                results.addAll(ProcessPool.await(chunk));
            } catch (TaskFailedException failure) {
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        // 3. Every chunk has ended: now the earliest failure may be thrown.
        if (first != null) {
            throw first;
        }
        return results;
    }
}
