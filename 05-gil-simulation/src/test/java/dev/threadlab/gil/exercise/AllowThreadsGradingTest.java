package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.gil.exercise.fixtures.allowthreads.CatchesExceptionOnly;
import dev.threadlab.gil.exercise.fixtures.allowthreads.CorrectWithCatchAndRethrow;
import dev.threadlab.gil.exercise.fixtures.allowthreads.CorrectWithTryWithResources;
import dev.threadlab.gil.exercise.fixtures.allowthreads.ForgetsToTakeItBack;
import dev.threadlab.gil.exercise.fixtures.allowthreads.HangsInEveryRule;
import dev.threadlab.gil.exercise.fixtures.allowthreads.KeepsTheGilDuringTheCall;
import dev.threadlab.gil.exercise.fixtures.allowthreads.MakesTheCallWithoutTheGil;
import dev.threadlab.gil.exercise.fixtures.allowthreads.SwallowsTheInterruptWhileRetaking;
import dev.threadlab.gil.exercise.fixtures.allowthreads.TakesItBackOnlyWhenTheCallReturns;
import dev.threadlab.gil.exercise.fixtures.allowthreads.UnlocksInsideTheTry;
import dev.threadlab.gil.exercise.fixtures.allowthreads.WrapsTheCallsException;
import dev.threadlab.gil.solution.ReferenceAllowThreads;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that {@link AllowThreadsSpec} grades both ways: it accepts the reference and correct solutions
 * in two other idioms, finds the untouched stub not implemented, and rejects each plausible mistake
 * with the message that names it.
 */
@GradingSelfCheck
class AllowThreadsGradingTest {

    private static final Class<AllowThreadsSpec> SPEC = AllowThreadsSpec.class;
    private static final String TAKEN_BACK_AFTER_A_THROW = "theGilIsTakenBackWhenTheCallThrows";
    private static final String REFUSED = "aThreadThatDoesNotHoldTheGilIsRefused";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferenceAllowThreads.class);
    }

    @Test
    void aCatchAndRethrowPasses() {
        Grading.assertPasses(SPEC, CorrectWithCatchAndRethrow.class);
    }

    @Test
    void aTryWithResourcesPasses() {
        Grading.assertPasses(SPEC, CorrectWithTryWithResources.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    @Test
    void keepingTheGilDuringTheCallIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "anotherThreadTakesTheGilWhileTheCallBlocks",
                KeepsTheGilDuringTheCall.class,
                "python-2 could not take the GIL while python-1 was blocked in its call: the GIL is still held by"
                        + " \"python-1\". Let go of it before the call (gil.unlock()), so that other threads run"
                        + " meanwhile");
    }

    @Test
    void returningWithoutTheGilIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "theGilIsTakenBackBeforeTheCallReturns",
                ForgetsToTakeItBack.class,
                "blockingCall returned while python-2 held the GIL: python-1 went on without it. Take the GIL back"
                        + " after the call (gil.lock(), which waits while another thread has it)");
    }

    @Test
    void notTakingItBackAfterAThrowIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                TAKEN_BACK_AFTER_A_THROW,
                TakesItBackOnlyWhenTheCallReturns.class,
                "blockingCall let the call's IOException through without taking the GIL back: python-1 no longer"
                        + " holds it. Take it back in a finally block");
    }

    @Test
    void catchingExceptionOnlyIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                TAKEN_BACK_AFTER_A_THROW,
                CatchesExceptionOnly.class,
                "blockingCall let the call's java.lang.AssertionError: an Error thrown on purpose by the grading"
                        + " through without taking the GIL back: python-1 no longer holds it. A call may throw an"
                        + " Error too, which a catch of Exception does not see: take the GIL back in a finally block");
    }

    @Test
    void swallowingAnInterruptWhileRetakingIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "theGilIsTakenBackEvenIfTheThreadIsInterrupted",
                SwallowsTheInterruptWhileRetaking.class,
                "python-1 was interrupted while it waited to take the GIL back, and blockingCall returned with"
                        + " python-1 holding the GIL 0 times: it must return holding the GIL once however it ends,"
                        + " interrupted or not. Take it back with gil.lock(), which waits through an interrupt");
    }

    @Test
    void wrappingTheCallsExceptionIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                TAKEN_BACK_AFTER_A_THROW,
                WrapsTheCallsException.class,
                "blockingCall threw java.lang.RuntimeException: the blocking call failed, but the call threw"
                        + " java.io.IOException: connection reset (thrown on purpose by the grading): let the call's"
                        + " own exception through, unchanged");
    }

    @Test
    void takingAGilTheCallerNeverHadIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                REFUSED,
                UnlocksInsideTheTry.class,
                "blockingCall left python-1 holding the GIL, which it did not hold when it called: take back only a"
                        + " GIL you let go (gil.unlock() before the try, not inside it");
    }

    @Test
    void makingTheCallWithoutTheGilIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                REFUSED,
                MakesTheCallWithoutTheGil.class,
                "blockingCall made the call for python-1, which did not hold the GIL: a thread that does not hold the"
                        + " GIL may not use it");
    }

    /**
     * The worst case: blockingCall spins, deaf to interrupts, in every rule. Only on demand:
     * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Dtest=AllowThreadsGradingTest#aBlockingCallThatHangsInEveryRuleIsToldWithinAMinute
     * -Dthreadlab.hangcheck=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120)
    void aBlockingCallThatHangsInEveryRuleIsToldWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SPEC,
                HangsInEveryRule.class,
                "\"python-1\" kept running without waiting, using",
                HangsInEveryRule.RELEASE::countDown);
    }
}
