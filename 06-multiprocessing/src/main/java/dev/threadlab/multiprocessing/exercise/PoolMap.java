package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.util.List;

/**
 * Exercise 06.2, the module's capstone: CPython's {@code Pool.map(func, iterable, chunksize)},
 * written on top of a {@link ChunkRunner} (a {@code ProcessPool} of worker JVMs, or a scripted
 * runner in the tests). Write your solution in {@link YourPoolMap}.
 *
 * <p>The rules the grading checks ({@code PoolMapSpec}, in this order):
 * <ol>
 *   <li><b>The items are split into consecutive chunks of {@code chunkSize}.</b> Split
 *       {@code items} into consecutive chunks of {@code chunkSize} items (the last may be shorter;
 *       every item is in a chunk), each run with the {@code task} map was given.</li>
 *   <li><b>Every chunk is submitted before map waits for any.</b> Submit them all before waiting
 *       for any: the workers run them at the same time. Wait by blocking on the futures
 *       ({@code get}, {@code join}, {@code ProcessPool.await}), never by spinning on
 *       {@code isDone()}: the waiting thread must leave the CPU to others (the grading fails a map
 *       that stays runnable for a second with chunks unfinished, in any rule).</li>
 *   <li><b>Results in item order.</b> Return the results in the order of {@code items}, whatever
 *       order the chunks finish in: one result per item, never fewer.</li>
 *   <li><b>A failed chunk is thrown, never dropped.</b> Throw the failed chunk's
 *       {@link TaskFailedException}, itself, not a copy and not wrapped (a {@code join()}'s
 *       {@code CompletionException} must be unwrapped). A chunk whose task threw is not submitted
 *       again: it would throw again.</li>
 *   <li><b>The earliest failure is thrown, later ones suppressed.</b> Of several failed chunks,
 *       throw the failure of the earliest in item order (whichever failed first); the failures of
 *       later chunks are added to it as suppressed exceptions.</li>
 *   <li><b>At most three retries of a dying worker's chunk.</b> A chunk whose
 *       worker died ({@link TaskFailedException.Reason#WORKER_DIED}; the pool has already started
 *       a new worker) may be submitted again, at most {@link #MAX_RETRIES} times (so at most
 *       {@code MAX_RETRIES + 1} tries of one chunk), and only once its previous try has ended; if
 *       its last try fails too, that failure is the chunk's failure (rules 4 and 5). No other
 *       failure is retried.</li>
 *   <li><b>A retried chunk's results take its place.</b> If you retry a chunk whose worker died
 *       and a try succeeds, its results go in the chunk's place, in item order. Not retrying at
 *       all is fine: then its failure is thrown (rule 4).</li>
 *   <li><b>Every task is accounted for.</b> Return or throw only once every chunk you submitted
 *       has ended, i.e. its future was completed by the runner. {@code cancel} on a chunk's
 *       future, or completing it yourself, does not stop the worker computing it, so it does not
 *       end the chunk: when map ends, no worker may still be busy with this call's work.</li>
 *   <li><b>A chunk size below 1 is refused.</b> {@code chunkSize < 1} is an
 *       {@link IllegalArgumentException}, before anything is submitted.</li>
 *   <li><b>No items, no results.</b> No items means an empty result and nothing submitted.</li>
 *   <li><b>The same on two real worker JVMs.</b> On a {@code ProcessPool} of two workers, map
 *       returns each task's result in item order, and throws a chunk's own
 *       {@link TaskFailedException} when its task threw. (Here the grading's pool completes the
 *       chunks' futures in the order you submitted them, whichever worker finishes first, so
 *       every run checks the same thing; rules 2 to 8 end them in other orders.)</li>
 * </ol>
 * Wait only for the chunks: a map that has not returned 2 seconds after its last chunk ended, or
 * that is still running after 10 seconds on the scripted runner, is
 * reported as hanging, and the rules after it are not graded.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface PoolMap {

    /** How many times, at most, a chunk whose worker died may be submitted again (rule 6). */
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
