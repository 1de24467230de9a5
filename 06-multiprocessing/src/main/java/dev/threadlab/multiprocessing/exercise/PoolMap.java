package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.util.List;

/**
 * Exercise 06.2, the module's capstone: CPython's {@code Pool.map(func, iterable, chunksize)},
 * written on top of a {@link ChunkRunner} (a {@code ProcessPool} of worker JVMs, or a scripted
 * runner in the tests). Write your solution in {@link YourPoolMap}.
 *
 * <p>The rules the grading checks ({@code PoolMapSpec}):
 * <ol>
 *   <li>Split {@code items} into consecutive chunks of {@code chunkSize} items (the last may be
 *       shorter; every item is in a chunk), and submit them all before waiting for any: the
 *       workers run them at the same time.</li>
 *   <li>Wait by blocking on the futures ({@code get}, {@code join}, {@code ProcessPool.await}),
 *       never by spinning on {@code isDone()}: the waiting thread must leave the CPU to others
 *       (the grading fails a map that stays runnable for a second with chunks unfinished).</li>
 *   <li>Return the results in the order of {@code items}, whatever order the chunks finish in:
 *       one result per item, never fewer.</li>
 *   <li>A failed chunk is never dropped: throw the {@link TaskFailedException} of the earliest
 *       failed chunk (in item order), itself, not a copy and not wrapped (a {@code join()}'s
 *       {@code CompletionException} must be unwrapped); the failures of later chunks are added
 *       to it as suppressed exceptions.</li>
 *   <li>A chunk whose worker died ({@link TaskFailedException.Reason#WORKER_DIED}; the pool has
 *       already started a new worker) may be submitted again, at most {@link #MAX_RETRIES} times
 *       (so at most {@code MAX_RETRIES + 1} tries of one chunk); if you retry it, its results
 *       take its place, and if its last try fails too, that failure is the chunk's failure (rule
 *       4). Not retrying at all is fine. No other failure is retried: a task that threw would
 *       throw again. A chunk is submitted again only once its previous try has ended.</li>
 *   <li>Every task is accounted for: return or throw only once every chunk you submitted has
 *       ended, i.e. its future was completed by the runner. {@code cancel} on a chunk's future,
 *       or completing it yourself, does not stop the worker computing it, so it does not end the
 *       chunk: when map ends, no worker may still be busy with this call's work.</li>
 *   <li>{@code chunkSize < 1} is an {@link IllegalArgumentException}, before anything is
 *       submitted; no items means an empty result and nothing submitted.</li>
 *   <li>Wait only for the chunks: a map that has not returned 2 seconds after its last chunk
 *       ended, or that is still running after 10 seconds on the scripted runner (15 on real worker
 *       JVMs), is reported as hanging, and the rules after it are not graded.</li>
 * </ol>
 */
public interface PoolMap {

    /** How many times, at most, a chunk whose worker died may be submitted again (rule 5). */
    int MAX_RETRIES = 3;

    /**
     * Runs {@code task} on every item on {@code runner}, {@code chunkSize} items per chunk.
     *
     * @param runner    where chunks run ({@link ChunkRunner#submit})
     * @param task      the name of a task in {@code Tasks}
     * @param items     one argument per task call
     * @param chunkSize how many items go to a worker at a time, at least 1
     * @return one result per item, in item order
     * @throws TaskFailedException      the earliest failed chunk's failure (for a retried chunk, its last
     *                                  try's), after every chunk ended
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws InterruptedException     if the calling thread is interrupted while it waits
     */
    List<Object> map(ChunkRunner runner, String task, List<?> items, int chunkSize)
            throws TaskFailedException, InterruptedException;
}
