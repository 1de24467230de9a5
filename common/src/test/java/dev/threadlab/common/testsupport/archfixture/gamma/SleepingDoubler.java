package dev.threadlab.common.testsupport.archfixture.gamma;

import dev.threadlab.common.testsupport.GradingMechanismTest;

/** Fixture for GradingMechanismTest: a correct answer that breaks the sleep rule (a method reference: never runs). */
public final class SleepingDoubler implements GradingMechanismTest.Doubler {

    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    /** Never called: its presence is what the rule sees. */
    static final Pause PAUSE = Thread::sleep;

    @Override
    public int twice(int x) {
        return 2 * x;
    }
}
