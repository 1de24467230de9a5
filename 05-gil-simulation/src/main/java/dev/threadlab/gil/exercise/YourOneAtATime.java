package dev.threadlab.gil.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.List;

/**
 * YOUR SOLUTION GOES HERE: exercise 05.1 (the rules are in {@link OneAtATime}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 05.1} (hints: {@code ./threadlab hint 05.1}), or
 * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Plearn}.
 */
public final class YourOneAtATime implements OneAtATime {

    @Override
    public void runAll(List<Runnable> tasks, int threads) throws InterruptedException {
        throw new NotImplementedYet("in YourOneAtATime.runAll, start `threads` threads that take the tasks one by"
                + " one, each running a task only while holding one shared lock (the GIL), then join them all");
    }
}
