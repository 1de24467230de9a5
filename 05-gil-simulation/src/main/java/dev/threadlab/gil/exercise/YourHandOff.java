package dev.threadlab.gil.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;

/**
 * Your drop-request hand-off, exercise 05.3 (the rules: {@link HandOff}). Replace each
 * {@code throw} with your code, then grade it: {@code ./threadlab check 05.3} (hints:
 * {@code ./threadlab hint 05.3}; with Maven: {@code ./mvnw -q -pl 05-gil-simulation -am verify -Plearn}),
 * and watch it run: {@code ./threadlab demo 05 02 --solution yours}.
 */
public final class YourHandOff implements HandOff {

    @Override
    public void awaitGil(GilState gil) throws InterruptedException {
        throw new NotImplementedYet("in awaitGil, wait for the GIL one switch interval at a time, and "
                + "request a drop when an interval passes with no drop and no switch");
    }

    @Override
    public void yieldGil(GilState gil) throws InterruptedException {
        throw new NotImplementedYet("in yieldGil, drop the GIL, wait until another thread has taken it, "
                + "then take it back");
    }
}
