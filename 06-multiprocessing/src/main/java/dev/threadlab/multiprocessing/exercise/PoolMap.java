package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.util.List;

/**
 * The exercise: CPython's {@code Pool.map(func, iterable, chunksize)}, written on top of a
 * {@link ChunkRunner} (a {@code ProcessPool} of worker JVMs, or a scripted runner in the tests).
 *
 * <p>The rules the grading checks ({@code PoolMapSpec}):
 * <ol>
 *   <li>Split {@code items} into consecutive chunks of {@code chunkSize} items (the last may be
 *       shorter; every item is in a chunk), and submit them all before waiting for any: the
 *       workers run them at the same time.</li>
 *   <li>Wait by blocking on the futures ({@code get}, {@code join}, {@code ProcessPool.await}),
 *       never by spinning on {@code isDone()}: the waiting thread must leave the CPU to others
 *       (the grading fails a map that stays runnable for a second with chunks unfinished).</li>
 *   <li>Return the results in the order of {@code items}, whatever order the chunks finish in.</li>
 *   <li>A failed chunk is never dropped: throw the {@link TaskFailedException} of the earliest
 *       failed chunk (in item order), itself, not a copy; the failures of later chunks are added
 *       to it as suppressed exceptions.</li>
 *   <li>Every task is accounted for: return or throw only once every chunk has ended, so no
 *       worker is still busy with this call's work after it returns.</li>
 *   <li>{@code chunkSize < 1} is an {@link IllegalArgumentException}, before anything is
 *       submitted; no items means an empty result and nothing submitted.</li>
 * </ol>
 */
public interface PoolMap {

    /**
     * Runs {@code task} on every item on {@code runner}, {@code chunkSize} items per chunk.
     *
     * @param runner    where chunks run ({@link ChunkRunner#submit})
     * @param task      the name of a task in {@code Tasks}
     * @param items     one argument per task call
     * @param chunkSize how many items go to a worker at a time, at least 1
     * @return one result per item, in item order
     * @throws TaskFailedException      the earliest failed chunk's failure, after every chunk ended
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws InterruptedException     if the calling thread is interrupted while it waits
     */
    List<Object> map(ChunkRunner runner, String task, List<?> items, int chunkSize)
            throws TaskFailedException, InterruptedException;
}
