package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 02.1 (the rules are in {@link TimedJoin}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 02.1}, or {@code ./mvnw -q -pl 02-join-isalive -am verify -Plearn}.
 */
public final class YourTimedJoin implements TimedJoin {

    @Override
    public boolean stillAliveAfter(Thread worker, Duration timeout) throws InterruptedException {
        throw new NotImplementedYet("in YourTimedJoin.stillAliveAfter, join the worker for at most the timeout,"
                + " then return whether it is still alive");
    }
}
