package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.lifecycle.exercise.NapRoom.Run;
import dev.threadlab.lifecycle.solution.ReferenceStopTheNapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of exercise 02.2 ({@link StopTheNapper}), one test each. The naps are {@link NapRoom}'s:
 * free at first, then lasting until an interrupt, and waking only for a caller that waits in
 * {@code join} for the napper to end; so every verdict below is decided by construction.
 */
@GradedExercise(
        value = "02.2 interrupt a sleeping worker and join it",
        learner = YourStopTheNapper.class,
        reference = ReferenceStopTheNapper.class)
@Timeout(20)
class StopTheNapperSpec {

    private final NapRoom room = new NapRoom();

    @AfterEach
    void nothingOutlivesTheRule() {
        room.close();
    }

    @Test
    void startNapperStartsAPlatformThreadThatNapsUntilInterrupted(@Solution StopTheNapper solution) {
        room.run(solution, false); // throws, naming the rule, unless the napper is in its third nap
    }

    @Test
    void stopInterruptsTheNapperAndItNapsNoMore(@Solution StopTheNapper solution) {
        Run run = room.run(solution, true); // a nap after the InterruptedException is caught in there

        if (!run.interrupted()) {
            throw new AssertionError("stop(napper) returned, and the napper was never interrupted: call"
                    + " napper.interrupt() in stop; a sleeping thread wakes only when asked");
        }
    }

    @Test
    void stopReturnsOnlyOnceTheNapperHasEnded(@Solution StopTheNapper solution) {
        Run run = room.run(solution, true);

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
