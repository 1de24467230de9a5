package dev.threadlab.basics.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.output.Console;

/**
 * YOUR SOLUTION GOES HERE: exercise 01 (see {@link StartAndJoin} and the module README).
 *
 * <p>Grade it with {@code ./threadlab check 01.1}, or {@code ./mvnw -q -pl 01-basic-threads -am verify -Plearn}.
 */
public final class YourStartAndJoin implements StartAndJoin {

    @Override
    public void runAll(int threads, Runnable task, Console console) throws InterruptedException {
        throw new NotImplementedYet("in YourStartAndJoin.runAll, create `threads` threads running `task`, "
                + "start them all, join them all, then print \"Threads completed.\"");
    }
}
