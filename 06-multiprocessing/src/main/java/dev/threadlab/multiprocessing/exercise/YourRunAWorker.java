package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.multiprocessing.pool.Launcher;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.io.IOException;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 06.1 (the rules are in {@link RunAWorker}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 06.1}, or {@code ./mvnw -q -pl 06-multiprocessing -am verify -Plearn};
 * hints: {@code ./threadlab hint 06.1}.
 */
public final class YourRunAWorker implements RunAWorker {

    @Override
    public String run(Launcher launcher, Duration timeout, Duration grace)
            throws TaskFailedException, InterruptedException, IOException {
        throw new NotImplementedYet("in YourRunAWorker.run, start the child with launcher.start(), wait for it at most"
                + " the timeout, then return its output; past the timeout, destroy it and wait for it (see RunAWorker's"
                + " rules)");
    }
}
