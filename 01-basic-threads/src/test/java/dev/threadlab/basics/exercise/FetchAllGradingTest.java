package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.fixtures.fetch.FetchesOneAfterTheOther;
import dev.threadlab.basics.exercise.fixtures.fetch.InTheOrderTheyFinish;
import dev.threadlab.basics.exercise.fixtures.fetch.InvokeAllOnAFixedPool;
import dev.threadlab.basics.exercise.fixtures.fetch.OneFailureFailsAll;
import dev.threadlab.basics.exercise.fixtures.fetch.PlatformThreadsIntoAnArray;
import dev.threadlab.basics.exercise.fixtures.fetch.PoolOfTwoThreads;
import dev.threadlab.basics.exercise.fixtures.fetch.SkipsFailedRequests;
import dev.threadlab.basics.solution.ReferenceFetchAll;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import org.junit.jupiter.api.Test;

/** The spec of exercise 01.2 grades both ways: it accepts correct solutions in each idiom and rejects each wrong one with its reason. */
@GradingSelfCheck
class FetchAllGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(FetchAllSpec.class, ReferenceFetchAll.class);
    }

    @Test
    void platformThreadsWritingIntoAnArrayPass() {
        Grading.assertPasses(FetchAllSpec.class, PlatformThreadsIntoAnArray.class);
    }

    @Test
    void invokeAllOnAPoolWithAThreadPerUrlPasses() {
        Grading.assertPasses(FetchAllSpec.class, InvokeAllOnAFixedPool.class);
    }

    @Test
    void theUntouchedStubFailsWithNotImplementedYet() {
        Grading.assertNotImplementedYet(FetchAllSpec.class);
    }

    @Test
    void fetchingOneAfterTheOtherIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "everyRequestIsInFlightAtTheSameTime",
                FetchesOneAfterTheOther.class,
                "at most 1 of 4 requests were in flight at once: start every request before waiting for any");
    }

    @Test
    void aPoolWithFewerThreadsThanRequestsIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "everyRequestIsInFlightAtTheSameTime",
                PoolOfTwoThreads.class,
                "at most 2 of 4 requests were in flight at once");
    }

    @Test
    void responsesInTheOrderTheyFinishAreRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "responsesAreInRequestOrderWhateverOrderTheyFinishIn",
                InTheOrderTheyFinish.class,
                "keep each response at its URL's index");
    }

    @Test
    void lettingOneFailureFailTheWholeCallIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestTakesItsPlaceAndLosesNoOtherResponse",
                OneFailureFailsAll.class,
                "because one request failed: catch the failure of that request");
    }

    @Test
    void leavingOutAFailedRequestIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestTakesItsPlaceAndLosesNoOtherResponse",
                SkipsFailedRequests.class,
                "returned 3 responses for 4 URLs, one of which failed");
    }
}
