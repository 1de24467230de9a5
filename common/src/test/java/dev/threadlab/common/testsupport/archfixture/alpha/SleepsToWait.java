package dev.threadlab.common.testsupport.archfixture.alpha;

import java.util.concurrent.TimeUnit;

/**
 * Fixture for CourseRulesTest: breaks both sleep rules on purpose, once with each API. It uses
 * method references, the form that is easiest to miss, and never runs.
 */
public final class SleepsToWait {

    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    /** @return the two forbidden pauses */
    public static Object[] forbiddenPauses() {
        Pause threadSleep = Thread::sleep;
        Pause unitSleep = TimeUnit.MILLISECONDS::sleep;
        return new Object[] {threadSleep, unitSleep};
    }
}
