package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.fixtures.fetch.AwaitsTerminationOnceAfterTheInterrupt;
import dev.threadlab.basics.exercise.fixtures.fetch.CatchesOnlyIOException;
import dev.threadlab.basics.exercise.fixtures.fetch.ClosesThePoolWithoutStoppingIt;
import dev.threadlab.basics.exercise.fixtures.fetch.ConcurrentHashMapKeyedByIndex;
import dev.threadlab.basics.exercise.fixtures.fetch.FetchesOneAfterTheOther;
import dev.threadlab.basics.exercise.fixtures.fetch.GetsEachInALoopWithATimeout;
import dev.threadlab.basics.exercise.fixtures.fetch.GetsEachWithATimeout;
import dev.threadlab.basics.exercise.fixtures.fetch.GivesUpOnASlowRequest;
import dev.threadlab.basics.exercise.fixtures.fetch.HangsInEveryRule;
import dev.threadlab.basics.exercise.fixtures.fetch.HashMapPutUnderAReentrantLock;
import dev.threadlab.basics.exercise.fixtures.fetch.HashMapPutUnderItsOwnLock;
import dev.threadlab.basics.exercise.fixtures.fetch.InTheOrderTheyFinish;
import dev.threadlab.basics.exercise.fixtures.fetch.InterruptsTheRequestsButDoesNotWait;
import dev.threadlab.basics.exercise.fixtures.fetch.InvokeAllOnAFixedPool;
import dev.threadlab.basics.exercise.fixtures.fetch.NeverShutsDownThePool;
import dev.threadlab.basics.exercise.fixtures.fetch.OneFailureFailsAll;
import dev.threadlab.basics.exercise.fixtures.fetch.PlatformThreadsIntoAnArray;
import dev.threadlab.basics.exercise.fixtures.fetch.PoolOfTwoThreads;
import dev.threadlab.basics.exercise.fixtures.fetch.PresizedArrayListSetBySlot;
import dev.threadlab.basics.exercise.fixtures.fetch.PutsUnderALockOfItsOwn;
import dev.threadlab.basics.exercise.fixtures.fetch.RequestsOnlyAfterReturning;
import dev.threadlab.basics.exercise.fixtures.fetch.RestoresTheFlagButLeavesNoResponse;
import dev.threadlab.basics.exercise.fixtures.fetch.SharedArrayListInFinishingOrder;
import dev.threadlab.basics.exercise.fixtures.fetch.SharedHashMapKeyedByIndex;
import dev.threadlab.basics.exercise.fixtures.fetch.SharedHashMapOnVirtualThreads;
import dev.threadlab.basics.exercise.fixtures.fetch.SkipsFailedRequests;
import dev.threadlab.basics.exercise.fixtures.fetch.SwallowsTheCallersInterrupt;
import dev.threadlab.basics.exercise.fixtures.fetch.SynchronizedMapKeyedByIndex;
import dev.threadlab.basics.exercise.fixtures.fetch.ThrowsWithoutStoppingTheRequests;
import dev.threadlab.basics.solution.ReferenceFetchAll;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

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

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(FetchAllSpec.class);
    }

    @Test
    void fetchingOneAfterTheOtherIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "everyRequestIsInFlightAtTheSameTime",
                FetchesOneAfterTheOther.class,
                "at most 1 of 4 requests was in flight at once: start every request before waiting for any");
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
                // The order the fixture's threads added their results varies (each adds after its fetch
                // has returned); the rule, the requests' order and the fix do not.
                "], but the requests were [/page-0, /page-1, /page-2, /page-3] (they finished last-first): results go in request order,"
                        + " whatever order the requests finish in (index i holds request i's result): "
                        + FetchAllSpec.IN_ORDER);
    }

    /**
     * A plain ArrayList that every thread adds to as it finishes: in finishing order, and, as
     * ArrayList is not thread-safe, an add may be lost. Which of the two the rule meets first may
     * vary; each message states the rule and the same fix.
     */
    @Test
    void aSharedArrayListFilledAsRequestsFinishIsRejectedWithTheFix() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "responsesAreInRequestOrderWhateverOrderTheyFinishIn",
                SharedArrayListInFinishingOrder.class,
                FetchAllSpec.IN_ORDER);
    }

    @Test
    void lettingOneFailureFailTheWholeCallIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestGivesResponseFailedWhateverItThrew",
                OneFailureFailsAll.class,
                "fetchAll threw java.lang.IllegalStateException: request failed when some of its requests failed"
                        + " (/page-1 threw IOException, /page-2 threw IllegalStateException, /page-3 threw"
                        + " InterruptedException): a request's failure is that request's response");
    }

    @Test
    void leavingOutAFailedRequestIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestGivesResponseFailedWhateverItThrew",
                SkipsFailedRequests.class,
                "the request for /page-1 threw java.io.IOException: connection refused: /page-1, and its response"
                        + " is missing or null");
    }

    @Test
    void catchingOnlyIOExceptionInTheThreadIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestGivesResponseFailedWhateverItThrew",
                CatchesOnlyIOException.class,
                "the request for /page-2 threw java.lang.IllegalStateException: bad gateway: /page-2, and its"
                        + " response is missing or null: whatever a fetch throws (IOException, InterruptedException, a"
                        + " RuntimeException), its request gives Response.failed(url, e.getMessage()) in its place."
                        + " Catch it for that request alone (in a thread of your own, catch Exception, not only"
                        + " IOException;");
    }

    @Test
    void aFetchsInterruptedExceptionLeftWithoutAResponseIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "aFailedRequestGivesResponseFailedWhateverItThrew",
                RestoresTheFlagButLeavesNoResponse.class,
                "the request for /page-3 threw java.lang.InterruptedException: cancelled by the server: /page-3, and"
                        + " its response is missing or null");
    }

    /** A timed wait gives up at once, whatever its length: one verdict and one message, every run. */
    private static final String GAVE_UP = "fetchAll returned without the result of the request for /page-0, which was"
            + " slow: it gave up on it (its response was Response[url=http://localhost/page-0, body=null, error=timed"
            + " out]). The grader let the request finish only once fetchAll waited for it; a join(ms), get(timeout) or"
            + " awaitTermination counts as a wait that runs out at once, whatever its length, unless fetchAll waits"
            + " again until what it waits for is done. Wait for every request to finish, however long it takes:"
            + " join() each thread, or get() each Future, with no timeout; and cancel nothing (no cancel(true) or"
            + " shutdownNow()) unless fetchAll itself is interrupted";

    /** Grades {@code fixture} by rule 4 twice: rejected both times, with the very same message. */
    private static void assertGivesUpTheSameTwice(Class<? extends FetchAll> fixture) {
        String rule = "fetchAllReturnsOnlyOnceEveryRequestHasFinished";
        String first = Grading.assertRejectedBy(FetchAllSpec.class, rule, fixture, GAVE_UP)
                .outcomes()
                .get(0)
                .message();
        String second = Grading.assertRejectedBy(FetchAllSpec.class, rule, fixture, GAVE_UP)
                .outcomes()
                .get(0)
                .message();
        if (!first.equals(second)) {
            throw new AssertionError(fixture.getSimpleName() + " got two messages:\n" + first + "\n" + second);
        }
    }

    @Test
    void givingUpOnASlowRequestIsRejected() {
        assertGivesUpTheSameTwice(GivesUpOnASlowRequest.class);
    }

    /**
     * A give-up breaks rule 4, and shows again in rule 5 (fetchAll returns before it can be
     * interrupted): rule 5 tells it as rule 4's mistake ({@link Grading#mistakeOfRule}), so the
     * report's headline is rule 4 and rule 5 does not blame the interrupt handling.
     */
    @Test
    void aGiveUpIsBlamedOnRuleFourNotOnRuleFive() {
        Grading.Report report = Grading.grade(FetchAllSpec.class, GivesUpOnASlowRequest.class);
        Grading.Outcome headline = Grading.mostTelling(report.outcomes()).orElseThrow();
        Grading.Outcome five = report.outcomes().stream()
                .filter(o -> o.test().startsWith("5."))
                .findFirst()
                .orElseThrow();
        if (!headline.test().startsWith("4.")
                || five.status() != Grading.Status.FAILED
                || !five.message()
                        .startsWith(Grading.mistakeOfRule(4, "fetchAll returned before it could be interrupted"))
                || !five.message().contains("That is rule 4's mistake (4. Done means done), seen again here")) {
            throw new AssertionError("rule 5 should tell the give-up as rule 4's mistake: " + report);
        }
    }

    /** Requests that begin only after fetchAll has returned: told as a give-up, judged on what had begun at the end. */
    @Test
    void requestsThatBeginOnlyAfterFetchAllReturnedAreAGiveUp() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "fetchAllReturnsOnlyOnceEveryRequestHasFinished",
                RequestsOnlyAfterReturning.class,
                "fetchAll returned without the result of the request for /page-0, which was slow: it gave up on it"
                        + " (its response was Response[url=http://localhost/page-0, body=null, error=timed out]).");
    }

    @Test
    void getWithATimeoutOfFiveSecondsIsRejectedAsAtOnce() {
        assertGivesUpTheSameTwice(GetsEachWithATimeout.class);
    }

    /** One awaitTermination after shutdownNow() runs out at once, whatever its length: one message, every run. */
    @Test
    void awaitingTerminationOnceAfterTheInterruptIsRejected() {
        String rule = "interruptingTheCallerStopsEveryRequestAndThrows";
        String fragment = "fetchAll threw InterruptedException while the requests for /page-0, /page-1, /page-2 were"
                + " still ending after their interrupt (the grader let each end only once fetchAll waited for it; a"
                + " join(ms), get(timeout) or awaitTermination counts as a wait that runs out at once, whatever its"
                + " length, unless fetchAll waits again until what it waits for is done): after interrupting them, wait"
                + " for their threads to end (join() each thread, the pool's close(), or awaitTermination() until it"
                + " returns true), then throw";
        String first = Grading.assertRejectedBy(
                        FetchAllSpec.class, rule, AwaitsTerminationOnceAfterTheInterrupt.class, fragment)
                .outcomes()
                .get(0)
                .message();
        String second = Grading.assertRejectedBy(
                        FetchAllSpec.class, rule, AwaitsTerminationOnceAfterTheInterrupt.class, fragment)
                .outcomes()
                .get(0)
                .message();
        if (!first.equals(second)) {
            throw new AssertionError("two messages:\n" + first + "\n" + second);
        }
    }

    @Test
    void getWithATimeoutInALoopPasses() {
        Grading.assertPasses(FetchAllSpec.class, GetsEachInALoopWithATimeout.class);
    }

    @Test
    void aPoolNeverShutDownIsRejected() {
        Grading.Report report;
        try {
            report = Grading.assertRejectedBy(
                    FetchAllSpec.class,
                    "fetchAllReturnsOnlyOnceEveryRequestHasFinished",
                    NeverShutsDownThePool.class,
                    "fetchAll returned, and 3 threads it started were still running: \"pool-");
        } finally {
            NeverShutsDownThePool.shutDownItsPools();
        }
        String fix = ". A pool's threads wait for more tasks until the pool is shut down: make the pool in"
                + " try-with-resources (its close() waits for the tasks, then ends its threads)";
        if (!report.outcomes().get(0).message().contains(fix)) {
            throw new AssertionError("the message should end with the fix \"" + fix + "\": " + report);
        }
    }

    @Test
    void throwingOnAnInterruptWithoutStoppingTheRequestsIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "interruptingTheCallerStopsEveryRequestAndThrows",
                ThrowsWithoutStoppingTheRequests.class,
                "fetchAll threw InterruptedException, but left the requests for /page-0, /page-1, /page-2 running,"
                        + " never interrupted (they run until they are): before throwing, interrupt the requests still"
                        + " running (pool.shutdownNow(), or interrupt() each thread) and wait for them to end");
    }

    @Test
    void interruptingTheRequestsWithoutWaitingForThemIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "interruptingTheCallerStopsEveryRequestAndThrows",
                InterruptsTheRequestsButDoesNotWait.class,
                "fetchAll threw InterruptedException while the requests for /page-0, /page-1, /page-2 were still"
                        + " ending after their interrupt (the grader let each end only once fetchAll waited for it):"
                        + " after interrupting them, wait for their threads to end");
    }

    @Test
    void swallowingTheCallersInterruptIsRejectedAtOnce() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "interruptingTheCallerStopsEveryRequestAndThrows",
                SwallowsTheCallersInterrupt.class,
                "fetchAll was interrupted while it waited, and then waited again without interrupting any request");
    }

    @Test
    void closingThePoolAfterAnInterruptWithoutStoppingItIsRejectedAtOnce() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "interruptingTheCallerStopsEveryRequestAndThrows",
                ClosesThePoolWithoutStoppingIt.class,
                "fetchAll was interrupted while it waited, and then waited again without interrupting any request");
    }

    @Test
    void aConcurrentHashMapKeyedByIndexPasses() {
        Grading.assertPasses(FetchAllSpec.class, ConcurrentHashMapKeyedByIndex.class);
    }

    @Test
    void aHashMapPutUnderTheMapsOwnLockPasses() {
        Grading.assertPasses(FetchAllSpec.class, HashMapPutUnderItsOwnLock.class);
    }

    @Test
    void aHashMapPutUnderOneReentrantLockPasses() {
        Grading.assertPasses(FetchAllSpec.class, HashMapPutUnderAReentrantLock.class);
    }

    /** ArrayList.set on one's own index is no structural change: rule 7 does not watch it. */
    @Test
    void anArrayListFilledBeforehandWhereEachThreadSetsItsOwnSlotPasses() {
        Grading.assertPasses(FetchAllSpec.class, PresizedArrayListSetBySlot.class);
    }

    @Test
    void aCollectionsSynchronizedMapPasses() {
        Grading.assertPasses(FetchAllSpec.class, SynchronizedMapKeyedByIndex.class);
    }

    /** Right in every other rule: only the watch over plain collections (rule 7) sees the race. */
    @Test
    void aSharedPlainHashMapIsRejectedThoughTheOtherRulesPass() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "noTwoThreadsChangeOnePlainCollectionAtOnce",
                SharedHashMapKeyedByIndex.class,
                "two threads were inside HashMap.put on the same HashMap at once (the grading held each thread at"
                        + " such a call until the others had stopped, and nothing kept these two apart): a HashMap is"
                        + " not thread-safe, so one thread's change can be lost, or break the other's. Use a"
                        + " ConcurrentHashMap, put under one lock that every thread takes (synchronized (map)), or let"
                        + " each thread write only its own slot of an array (or use Futures)");
    }

    @Test
    void aSharedPlainHashMapOnVirtualThreadsIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "noTwoThreadsChangeOnePlainCollectionAtOnce",
                SharedHashMapOnVirtualThreads.class,
                "two threads were inside HashMap.put on the same HashMap at once");
    }

    @Test
    void aPutUnderALockThatNoOtherThreadTakesIsRejected() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "noTwoThreadsChangeOnePlainCollectionAtOnce",
                PutsUnderALockOfItsOwn.class,
                "two threads were inside HashMap.put on the same HashMap at once");
    }

    /** Rule 2 rejects it first (finishing order); rule 7 also proves its adds race. */
    @Test
    void aSharedArrayListIsAlsoRejectedAsARace() {
        Grading.assertRejectedBy(
                FetchAllSpec.class,
                "noTwoThreadsChangeOnePlainCollectionAtOnce",
                SharedArrayListInFinishingOrder.class,
                "two threads were inside ArrayList.add on the same ArrayList at once (the grading held each thread"
                        + " at such a call until the others had stopped, and nothing kept these two apart): an ArrayList"
                        + " is not thread-safe, so one thread's change can be lost, or break the other's. Change it"
                        + " under one lock that every thread takes (synchronized on the collection itself), or let each"
                        + " thread write only its own slot of an array (or use Futures)");
    }

    /**
     * The worst case for the time to a verdict: a solution that hangs in every rule. Rule 1 hangs
     * first (the spec's class timeout), and the rules after it are not run. Slow by nature, so it
     * runs only on demand: {@code ./mvnw -q -pl 01-basic-threads -am verify
     * -Dtest=FetchAllGradingTest#aSolutionThatHangsEverywhere* -Dsurefire.failIfNoSpecifiedTests=false
     * -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120) // longer than the bound it checks, so that a slow verdict is reported as such
    void aSolutionThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.Report report = Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                FetchAllSpec.class,
                HangsInEveryRule.class,
                "HangsInEveryRule.fetchAll",
                HangsInEveryRule::stopHanging);
        List<Grading.Outcome> ran =
                report.outcomes().stream().filter(o -> !o.notRun()).toList();
        if (ran.size() != 1 || !ran.get(0).hung() || !ran.get(0).test().startsWith("1. ")) {
            throw new AssertionError("only rule 1 should run, and hang; the others not run:\n" + report);
        }
    }
}
