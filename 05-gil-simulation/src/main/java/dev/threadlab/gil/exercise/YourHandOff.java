package dev.threadlab.gil.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;

/**
 * Your drop-request hand-off. Replace each {@code throw} with your code, then grade it:
 * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Plearn}, and watch it run:
 * {@code ./mvnw -q -pl 05-gil-simulation -am process-test-classes -Pdemo -Ddemo.args="--solution yours"}.
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
