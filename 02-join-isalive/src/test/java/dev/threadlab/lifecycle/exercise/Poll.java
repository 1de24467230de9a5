package dev.threadlab.lifecycle.exercise;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The harnesses' one way to wait for something another thread does: check {@code condition} every
 * millisecond, in the calling thread, until it holds or {@code bound} has passed. The bound only
 * runs out for a solution that hangs; a correct one makes the condition true at once.
 */
final class Poll {

    private Poll() {}

    /** @return true if {@code condition} held within {@code bound}, false if the bound ran out */
    static boolean until(BooleanSupplier condition, Duration bound) {
        try {
            await().pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(bound)
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
