package dev.threadlab.common.testsupport.rulefixture;

import dev.threadlab.common.exercise.NotImplementedYet;

/** An untouched stub of {@link Chore} without the interface's {@code throws InterruptedException}. */
public final class YourDriftedChore implements Chore {
    @Override
    public void doIt() {
        throw new NotImplementedYet("do it");
    }

    @Override
    public int done() {
        throw new NotImplementedYet("count what was done");
    }
}
