package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.multiprocessing.exercise.fixtures.CollectsInCompletionOrder;
import dev.threadlab.multiprocessing.exercise.fixtures.DropsFailedChunks;
import dev.threadlab.multiprocessing.exercise.fixtures.DropsTheLastShorterChunk;
import dev.threadlab.multiprocessing.exercise.fixtures.OneChunkAtATime;
import dev.threadlab.multiprocessing.exercise.fixtures.SpinsUntilAllDone;
import dev.threadlab.multiprocessing.exercise.fixtures.ThrowsAtFirstFailure;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import org.junit.jupiter.api.Test;

/** The map exercise's grading works both ways: it passes the reference and rejects each plausible mistake, saying which rule broke. */
@GradingSelfCheck
class PoolMapGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(PoolMapSpec.class, ReferencePoolMap.class);
    }

    @Test
    void theUntouchedStubFailsEveryRuleWithNotImplementedYet() {
        Grading.assertNotImplementedYet(PoolMapSpec.class);
    }

    @Test
    void resultsCollectedInCompletionOrderAreRejected() {
        Grading.assertRejects(PoolMapSpec.class, CollectsInCompletionOrder.class, "results out of order");
    }

    @Test
    void aSilentlyDroppedFailureIsRejected() {
        Grading.assertRejects(PoolMapSpec.class, DropsFailedChunks.class,
                "although the task failed on item 4: a failed task must never be dropped silently");
    }

    @Test
    void throwingWhileChunksStillRunIsRejected() {
        Grading.assertRejects(PoolMapSpec.class, ThrowsAtFirstFailure.class,
                "map threw while 2 of its 3 chunks were still running on workers");
    }

    @Test
    void waitingForEachChunkBeforeSubmittingTheNextIsRejected() {
        Grading.assertRejects(PoolMapSpec.class, OneChunkAtATime.class,
                "map waited for a chunk when it had submitted 1 of its 4 chunks [[1, 2, 3]], then submitted another");
    }

    @Test
    void aMissingLastShorterChunkIsRejected() {
        Grading.assertRejects(PoolMapSpec.class, DropsTheLastShorterChunk.class,
                "items [10] were never submitted (the last, shorter chunk is missing?); map submitted [[1, 2, 3], [4, 5, 6], [7, 8, 9]]");
    }

    @Test
    void busyWaitingForTheChunksIsRejected() {
        Grading.assertRejects(PoolMapSpec.class, SpinsUntilAllDone.class,
                "map is spinning; block on the futures (get/join) instead");
    }
}
