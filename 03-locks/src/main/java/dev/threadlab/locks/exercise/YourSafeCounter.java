package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;

/**
 * YOUR SOLUTION GOES HERE: exercise 03.1 (the rules are in {@link SafeCounter}'s javadoc; replace
 * each {@code throw} with your code).
 *
 * <p>Grade it with {@code ./threadlab check 03.1}, or {@code ./mvnw -q -pl 03-locks -am verify -Plearn};
 * take the hints one at a time with {@code ./threadlab hint 03.1}.
 */
public final class YourSafeCounter implements SafeCounter {

    @Override
    public void increment() {
        throw new NotImplementedYet("add 1 to the count holding a lock that every call shares (or with an atomic variable)");
    }

    @Override
    public long get() {
        throw new NotImplementedYet("return the count, read under the same lock");
    }
}
