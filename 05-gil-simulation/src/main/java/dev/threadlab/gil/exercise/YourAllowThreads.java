package dev.threadlab.gil.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * YOUR SOLUTION GOES HERE: exercise 05.2 (the rules are in {@link AllowThreads}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 05.2} (hints: {@code ./threadlab hint 05.2}), or
 * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Plearn}.
 */
public final class YourAllowThreads implements AllowThreads {

    @Override
    public <T> T blockingCall(ReentrantLock gil, Callable<T> call) throws Exception {
        throw new NotImplementedYet("in YourAllowThreads.blockingCall, let go of the GIL, make the call, and take"
                + " the GIL back however the call ends");
    }
}
