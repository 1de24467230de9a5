package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.multiprocessing.pool.ChunkRunner;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.util.List;

/**
 * Your {@code Pool.map}: read the rules in {@link PoolMap}, write {@link #map}, and grade it with
 * {@code ./threadlab check 06.2} (or {@code ./mvnw -q -pl 06-multiprocessing -am verify -Plearn});
 * hints: {@code ./threadlab hint 06.2}. The demos run it with {@code --solution yours}.
 */
public final class YourPoolMap implements PoolMap {

    @Override
    public List<Object> map(ChunkRunner runner, String task, List<?> items, int chunkSize)
            throws TaskFailedException, InterruptedException {
        throw new NotImplementedYet("in YourPoolMap.map, split the items into chunks of chunkSize, submit every chunk to the runner, then "
                + "wait for all of them and return the results in item order (see PoolMap's rules)");
    }
}
