package dev.threadlab.common.testsupport.rulefixture;

import dev.threadlab.common.exercise.NotImplementedYet;

/** The untouched stub of {@link Chore}, declared as its interface is. */
public final class YourChore implements Chore {
    @Override
    public void doIt() throws InterruptedException {
        throw new NotImplementedYet("do it");
    }

    @Override
    public int done() {
        throw new NotImplementedYet("count what was done");
    }
}
