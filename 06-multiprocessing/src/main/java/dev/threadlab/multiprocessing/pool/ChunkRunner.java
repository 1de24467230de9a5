package dev.threadlab.multiprocessing.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Something that runs a chunk of tasks somewhere else and tells, later, how it went: the
 * primitive a {@code map} is built on. {@link ProcessPool} sends each chunk to its next free
 * worker JVM; tests use scripted runners.
 */
@FunctionalInterface
public interface ChunkRunner {

    /**
     * Queues a chunk and returns at once.
     *
     * @param task  the name of a task in {@link Tasks}
     * @param items the task's argument for each item, in order
     * @return a future completed with one result per item in item order, or completed
     *         exceptionally with a {@link TaskFailedException} saying why the chunk failed; it is
     *         always completed one way or the other
     * @throws IllegalArgumentException if the task is unknown or an item cannot be sent
     * @throws IllegalStateException    if the runner is closed
     */
    CompletableFuture<List<Object>> submit(String task, List<?> items);
}
