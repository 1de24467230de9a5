package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.multiprocessing.exercise.fixtures.AppendsRetriedChunksAtTheEnd;
import dev.threadlab.multiprocessing.exercise.fixtures.CancelsTheRestAtFirstFailure;
import dev.threadlab.multiprocessing.exercise.fixtures.CollectsInCompletionOrder;
import dev.threadlab.multiprocessing.exercise.fixtures.CorrectRetriesDeadWorkers;
import dev.threadlab.multiprocessing.exercise.fixtures.CorrectWithAllOf;
import dev.threadlab.multiprocessing.exercise.fixtures.CorrectWithJoin;
import dev.threadlab.multiprocessing.exercise.fixtures.CorrectWithVirtualThreads;
import dev.threadlab.multiprocessing.exercise.fixtures.DropsFailedChunks;
import dev.threadlab.multiprocessing.exercise.fixtures.DropsTheLastShorterChunk;
import dev.threadlab.multiprocessing.exercise.fixtures.HangsInEveryRule;
import dev.threadlab.multiprocessing.exercise.fixtures.LetsTheCompletionExceptionOut;
import dev.threadlab.multiprocessing.exercise.fixtures.OneChunkAtATime;
import dev.threadlab.multiprocessing.exercise.fixtures.RetriesDeadChunksForever;
import dev.threadlab.multiprocessing.exercise.fixtures.RetriesEveryFailure;
import dev.threadlab.multiprocessing.exercise.fixtures.SkipsChunksWhoseWorkerDied;
import dev.threadlab.multiprocessing.exercise.fixtures.SpinsUntilAllDone;
import dev.threadlab.multiprocessing.exercise.fixtures.ThrowsAtFirstFailure;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The map exercise's grading works both ways: it passes correct maps and rejects each plausible mistake, saying which rule broke. */
@GradingSelfCheck
class PoolMapGradingTest {

    private static final Class<PoolMapSpec> SPEC = PoolMapSpec.class;

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferencePoolMap.class);
    }

    @Test
    void correctMapsInOtherIdiomsPass() {
        Grading.assertPasses(SPEC, CorrectWithJoin.class);
        Grading.assertPasses(SPEC, CorrectWithAllOf.class);
        Grading.assertPasses(SPEC, CorrectWithVirtualThreads.class);
    }

    @Test
    void aMapThatRetriesDeadWorkersAFewTimesPasses() {
        Grading.assertPasses(SPEC, CorrectRetriesDeadWorkers.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    @Test
    void resultsCollectedInCompletionOrderAreRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "resultsComeBackInItemOrderWhateverOrderTheChunksFinishIn",
                CollectsInCompletionOrder.class,
                "results out of order: the chunks finished last to first, and map must"
                        + " put each chunk's results in its place, in item order; it returned [49, 25, 36, 9, 16, 1, 4]");
    }

    /**
     * Which rules a map collecting in completion order breaks is decided by the test, not by which
     * worker finishes first: the scripted runner ends chunks last to first, and the real pool of
     * rule 11 ({@link LazyPool}) tells them ended in the order map submitted them. Graded twice (the
     * first time in a JVM that may have graded nothing of this spec yet, as {@code ./threadlab
     * check}'s is), the verdict is the same, to the letter.
     */
    @Test
    void resultsCollectedInCompletionOrderGetTheSameVerdictEveryGrading() {
        String expected = "2=FAILED 3=FAILED 5=FAILED 8=FAILED 11=PASSED | FAILING (7/11 rules pass). Broken rule: 2."
                + " Every chunk is submitted before map waits for any — results out of order: the chunks finished last"
                + " to first, and map must put each chunk's results in its place, in item order; it returned"
                + " [25, 36, 9, 16, 1, 4] instead of [1, 4, 9, 16, 25, 36]";
        for (String grading : new String[] {"first", "second"}) {
            Grading.Report report = Grading.grade(SPEC, CollectsInCompletionOrder.class);
            String pinned = Grading.pinned(report, 2, 3, 5, 8, 11);
            if (!pinned.equals(expected)) {
                throw new AssertionError("the " + grading + " grading of CollectsInCompletionOrder said\n  " + pinned
                        + "\ninstead of\n  " + expected + "\n" + report);
            }
        }
    }

    @Test
    void aSilentlyDroppedFailureIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aFailedTaskIsThrownNeverDropped",
                DropsFailedChunks.class,
                "map returned [1, 4, 25, 36] although the task failed on item 4: a failed chunk must never be dropped"
                        + " silently; throw its TaskFailedException");
    }

    @Test
    void throwingWhileChunksStillRunIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "mapEndsOnlyOnceEveryChunkHasEnded",
                ThrowsAtFirstFailure.class,
                "map threw TaskFailedException while 2 of its 3 chunks were still running on workers: [3, 4] (never"
                        + " waited for), [5, 6] (never waited for). Every task must be accounted for");
    }

    @Test
    void cancellingTheOtherChunksAndThrowingAtOnceIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "mapEndsOnlyOnceEveryChunkHasEnded",
                CancelsTheRestAtFirstFailure.class,
                "map threw TaskFailedException while 2 of its 3 chunks were still running on workers: [3, 4] (its future"
                        + " cancelled by map), [5, 6] (its future cancelled by map). Cancelling a chunk's future (or"
                        + " completing it yourself) does not stop the worker computing it");
    }

    @Test
    void waitingForEachChunkBeforeSubmittingTheNextIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "everyChunkIsSubmittedBeforeMapWaitsForAny",
                OneChunkAtATime.class,
                "map waited for a chunk when it had submitted 1 of its 3 chunks [[1, 2]], then submitted another: submit"
                        + " every chunk first");
    }

    @Test
    void aMissingLastShorterChunkIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "theItemsAreSplitIntoConsecutiveChunksOfChunkSize",
                DropsTheLastShorterChunk.class,
                "items [10] were never submitted (the last, shorter chunk is missing?); map submitted [[1, 2, 3], [4, 5,"
                        + " 6], [7, 8, 9]]");
    }

    /**
     * The headline names the rule that states the mistake: a mistake any rule sees (spinning, ending
     * with work still running) fails every rule that sees it, but ranks below the failure of the rule
     * that states it ({@link Grading#mistakeOfRule}).
     */
    private static void headlinedBy(int order, String rule, Class<? extends PoolMap> fixture, String... alsoGraded) {
        List<Grading.Outcome> outcomes =
                new ArrayList<>(Grading.grade(SPEC, rule, fixture).outcomes());
        for (String other : alsoGraded) {
            outcomes.addAll(Grading.grade(SPEC, other, fixture).outcomes());
        }
        Grading.Outcome headline = Grading.mostTelling(outcomes).orElse(null);
        if (headline == null
                || !headline.test().startsWith(order + ". ")
                || headline.status() != Grading.Status.FAILED
                || headline.message().startsWith("[rule ")) { // its own rule tells it without the tag
            throw new AssertionError(fixture.getSimpleName() + " should be headlined by rule " + order
                    + ", but the headline" + " was " + headline + " of\n" + outcomes);
        }
    }

    @Test
    void aSpinIsHeadlinedByTheRuleOnWaiting() {
        headlinedBy(
                2,
                "everyChunkIsSubmittedBeforeMapWaitsForAny",
                SpinsUntilAllDone.class,
                "theItemsAreSplitIntoConsecutiveChunksOfChunkSize");
    }

    @Test
    void failingFastIsHeadlinedByTheRuleOnEndingOnlyOnceEveryChunkHasEnded() {
        headlinedBy(
                8,
                "mapEndsOnlyOnceEveryChunkHasEnded",
                ThrowsAtFirstFailure.class,
                "aFailedTaskIsThrownNeverDropped",
                "theEarliestFailureInItemOrderIsThrownAndLaterOnesAreSuppressed");
    }

    @Test
    void busyWaitingForTheChunksIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "everyChunkIsSubmittedBeforeMapWaitsForAny",
                SpinsUntilAllDone.class,
                "map is spinning; block on the futures (get/join) instead: it kept running for 1000 ms with the chunks"
                        + " [[1, 2], [3, 4], [5, 6]] submitted and 3 of them unfinished");
    }

    @Test
    void skippingAChunkWhoseWorkerDiedIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChunkWhoseWorkerKeepsDyingIsRetriedAtMostThreeTimesThenThrown",
                SkipsChunksWhoseWorkerDied.class,
                "map returned [1, 4, 25, 36] although the worker running chunk [3, 4]"
                        + " died on its only try: a chunk whose worker died is never dropped");
    }

    @Test
    void retryingADeadWorkersChunkForeverIsRejectedAtTheFifthTry() {
        Grading.assertRejectedBy(
                SPEC,
                "aChunkWhoseWorkerKeepsDyingIsRetriedAtMostThreeTimesThenThrown",
                RetriesDeadChunksForever.class,
                "map submitted chunk [3, 4] a 5th time: its worker died on each of its 4"
                        + " tries, and a chunk may be retried at most 3 times (PoolMap.MAX_RETRIES)");
    }

    @Test
    void retryingATaskThatThrewIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aFailedTaskIsThrownNeverDropped",
                RetriesEveryFailure.class,
                "map submitted chunk [3, 4] again after it failed with TASK_THREW");
    }

    @Test
    void aFailureStillWrappedInACompletionExceptionIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aFailedTaskIsThrownNeverDropped",
                LetsTheCompletionExceptionOut.class,
                "map threw a CompletionException wrapping the chunk's TaskFailedException (the task failed on item 4):"
                        + " throw the TaskFailedException itself");
    }

    @Test
    void aRetriedChunksResultsAppendedAtTheEndAreRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aChunkWhoseWorkerDiedOnceIsRetriedInPlaceOrThrownNeverDropped",
                AppendsRetriedChunksAtTheEnd.class,
                "results out of order: the chunks finished last to first, and map"
                        + " must put each chunk's results in its place, in item order; it returned [1, 4, 25, 36, 9, 16]");
    }

    /**
     * The worst case: a map that hangs, deaf to interrupts, in every rule. Slow by nature (about 2 s
     * a rule), so only on demand: {@code ./mvnw -q -pl 06-multiprocessing -am verify
     * -Dtest=PoolMapGradingTest#aMapThatHangsInEveryRuleIsToldWithinAMinute -Dthreadlab.hangcheck=true
     * -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120)
    void aMapThatHangsInEveryRuleIsToldWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SPEC,
                HangsInEveryRule.class,
                "map has not returned although every chunk it submitted had ended 2 s before",
                HangsInEveryRule.RELEASE::countDown);
    }
}
