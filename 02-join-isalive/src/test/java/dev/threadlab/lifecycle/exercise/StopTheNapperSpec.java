package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.lifecycle.exercise.NapRoom.Run;
import dev.threadlab.lifecycle.exercise.NapRoom.Waking;
import dev.threadlab.lifecycle.solution.ReferenceStopTheNapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 02.2 ({@link StopTheNapper}), one test each, in order. The naps are
 * {@link NapRoom}'s: free at first, then lasting until an interrupt; interrupted, a nap wakes at
 * once (rule 2: what the napper does next is watched, whether or not {@code stop} waits for it) or
 * only for a caller that waits in {@code join} for the napper to end (rule 3); so every verdict
 * below is decided by construction.
 */
@GradedExercise(
        value = "02.2 interrupt a sleeping worker and join it",
        learner = YourStopTheNapper.class,
        reference = ReferenceStopTheNapper.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(20)
class StopTheNapperSpec {

    private final NapRoom room = new NapRoom();

    @AfterEach
    void nothingOutlivesTheRule() {
        room.close();
    }

    @Test
    @Order(1)
    @DisplayName("1. A platform thread that naps until interrupted")
    void startNapperStartsAPlatformThreadThatNapsUntilInterrupted(@Solution StopTheNapper solution) {
        room.run(solution, false); // throws, naming the rule, unless the napper is in its third nap
    }

    @Test
    @Order(2)
    @DisplayName("2. Stop interrupts it, and it naps no more")
    void stopInterruptsTheNapperAndItNapsNoMore(@Solution StopTheNapper solution) {
        // the nap wakes at once; a nap after the InterruptedException, or a napper that never ends, is
        // caught in there, whether or not stop() joins
        Run run = room.run(solution, true, Waking.AT_ONCE);

        if (!run.interrupted()) {
            throw new AssertionError("stop(napper) returned, and the napper was never interrupted: call"
                    + " napper.interrupt() in stop; a sleeping thread wakes only when asked");
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. Stop returns once the napper has ended")
    void stopReturnsOnlyOnceTheNapperHasEnded(@Solution StopTheNapper solution) {
        Run run = room.run(solution, true, Waking.WHEN_JOINED);

        if (run.aliveWhenStopReturned()) {
            throw new AssertionError(
                    run.interrupted()
                            ? "the napper was still alive when stop(napper) returned (interrupted, but still waking up, and"
                                    + " it wakes only once you wait for it to end): after interrupting it, join() it, with no"
                                    + " timeout (no join, or a join with a timeout, returns while it is still alive)"
                            : "the napper was still alive when stop(napper) returned, and had never been interrupted:"
                                    + " interrupt() it, then join() it, with no timeout");
        }
    }
}
