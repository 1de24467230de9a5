package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.gil.exercise.fixtures.handoff.AsksAtOnce;
import dev.threadlab.gil.exercise.fixtures.handoff.CorrectKeepsTheDeadlineAcrossSpuriousWakeUps;
import dev.threadlab.gil.exercise.fixtures.handoff.CorrectWithDoWhile;
import dev.threadlab.gil.exercise.fixtures.handoff.ForgetsToTakeItBack;
import dev.threadlab.gil.exercise.fixtures.handoff.HangsInEveryRule;
import dev.threadlab.gil.exercise.fixtures.handoff.HardCodedInterval;
import dev.threadlab.gil.exercise.fixtures.handoff.IgnoresSwitchNumber;
import dev.threadlab.gil.exercise.fixtures.handoff.IgnoresWhyItWoke;
import dev.threadlab.gil.exercise.fixtures.handoff.IntervalAsADeadline;
import dev.threadlab.gil.exercise.fixtures.handoff.NeverReleases;
import dev.threadlab.gil.exercise.fixtures.handoff.RetakesWithoutForcedSwitch;
import dev.threadlab.gil.exercise.fixtures.handoff.ReusesAnExpiredDeadline;
import dev.threadlab.gil.exercise.fixtures.handoff.SpinsForTheGil;
import dev.threadlab.gil.exercise.fixtures.handoff.WaitsAThousandIntervals;
import dev.threadlab.gil.exercise.fixtures.handoff.WaitsWithNoDeadline;
import dev.threadlab.gil.solution.ReferenceHandOff;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The spec grades both ways: it accepts correct hand-offs and rejects each plausible mistake, saying which. */
@GradingSelfCheck
class HandOffGradingTest {

    private static final Class<HandOffSpec> SPEC = HandOffSpec.class;
    private static final String FIRST_RULE = "aWaiterAsksForTheGilOnlyAfterAFullSwitchInterval";
    private static final String HOLDER_DROPS = "theHolderDropsTheGilAtItsNextCheckAndGetsItBackWhenTheWaiterIsDone";

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(SPEC, ReferenceHandOff.class);
    }

    @Test
    void correctHandOffsWrittenOtherwisePass() {
        Grading.assertPasses(SPEC, CorrectKeepsTheDeadlineAcrossSpuriousWakeUps.class);
        Grading.assertPasses(SPEC, CorrectWithDoWhile.class);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(SPEC);
    }

    @Test
    void aHolderThatNeverReleasesIsRejectedForStarvation() {
        Grading.assertRejectedBy(
                SPEC,
                HOLDER_DROPS,
                NeverReleases.class,
                "starvation: worker-1 ran its next chunk without dropping the GIL although worker-2 had asked");
    }

    @Test
    void aHolderThatRetakesWithoutForcedSwitchingIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "theHolderDoesNotTakeTheGilBackBeforeTheWaiterHasHadIt",
                RetakesWithoutForcedSwitch.class,
                "worker-1 re-took the GIL: it dropped it at worker-2's request, then took it back");
    }

    @Test
    void aHolderThatForgetsToTakeTheGilBackIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                HOLDER_DROPS,
                ForgetsToTakeItBack.class,
                "worker-1 failed in next chunk: java.lang.IllegalStateException: ForgetsToTakeItBack.yieldGil returned"
                        + " without the GIL: it must take the GIL back before returning");
    }

    @Test
    void aWaiterThatAsksAtOnceIsRejectedForIgnoringTheInterval() {
        Grading.assertRejectedBy(
                SPEC, FIRST_RULE, AsksAtOnce.class, "ignoring the interval: worker-2 asked for a drop at once");
    }

    /**
     * HardCodedInterval breaks rule 1, not rule 4: its waiters' 5 ms waits end in rule 4's first
     * half interval, and they ask then, before the GIL changes hands. Rule 4 lets them settle back
     * into a wait before worker-1 drops it; it left that to the scheduler, and ./threadlab check
     * (a fresh JVM: rule 4 passed) and ./mvnw verify (a warm one: failed) disagreed.
     */
    @Test
    void aHardCodedIntervalAloneBreaksNoRuleAboutSwitches() {
        Grading.Report report =
                Grading.grade(SPEC, "aWaiterDoesNotAskWhenTheGilChangedHandsDuringItsWait", HardCodedInterval.class);
        if (!report.passed()) {
            throw new AssertionError("rule 4 should pass HardCodedInterval (rule 1 rejects it): " + report);
        }
    }

    @Test
    void aWaiterWithAHardCodedIntervalIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                FIRST_RULE,
                HardCodedInterval.class,
                "worker-2's wait for the GIL must last one switch interval (gil.switchIntervalNanos() = 1000000 ns, here"
                        + " 1 ms), but it waits until 5.000 ms on the GIL's clock, 5000000 ns after it started waiting (at"
                        + " 0.000 ms), 5 times the switch interval");
    }

    @Test
    void aWaiterThatWaitsAThousandIntervalsIsRejectedWithTheFactor() {
        Grading.assertRejectedBy(
                SPEC,
                FIRST_RULE,
                WaitsAThousandIntervals.class,
                "but it waits until 1000.000 ms on the GIL's clock, 1000000000 ns after it started waiting (at 0.000 ms),"
                        + " 1000 times the switch interval");
    }

    @Test
    void aWaiterThatWaitsAThousandIntervalsIsToldAtOnceWhereItWaits() {
        Grading.assertRejectedBy(
                SPEC,
                "aWaiterThatHasAskedGoesOnWaitingUntilAFreshDeadline",
                WaitsAThousandIntervals.class,
                "starvation: worker-2 waited a full switch interval (20 ms) for the GIL but never asked for it: after an"
                        + " interval with no switch, call gil.requestDrop(). Nothing can change any more: worker-1 holds the"
                        + " GIL and has done every step it was given; worker-2 waits on the GIL's clock until 20.0 s; the"
                        + " GIL's clock reads 20.000 ms, no drop is requested");
    }

    @Test
    void aWaiterThatTakesTheIntervalForADeadlineIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                FIRST_RULE,
                IntervalAsADeadline.class,
                "worker-2 failed in attach: java.lang.IllegalStateException: awaitDropUntil was called again with the"
                        + " deadline it had just timed out on");
    }

    @Test
    void aWaiterWithNoDeadlineIsRejectedForStarvation() {
        Grading.assertRejectedBy(
                SPEC,
                FIRST_RULE,
                WaitsWithNoDeadline.class,
                "starvation: worker-2 waits for the GIL with no deadline (Long.MAX_VALUE), so it never asks worker-1 to"
                        + " drop it");
    }

    @Test
    void aWaiterThatSpinsIsToldWhereItSpins() {
        Grading.assertRejectedBy(
                SPEC,
                FIRST_RULE,
                SpinsForTheGil.class,
                "worker-2 never started waiting for the GIL on the GIL's clock (wait with gil.awaitDropUntil) (worker-2"
                        + " kept running without waiting on the GIL's clock, using");
    }

    @Test
    void aWaiterThatIgnoresTheSwitchNumberIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aWaiterDoesNotAskWhenTheGilChangedHandsDuringItsWait",
                IgnoresSwitchNumber.class,
                "asked for a drop although the GIL changed hands during its wait");
    }

    @Test
    void aWaiterThatReusesAnExpiredDeadlineIsRejectedAtOnceInsteadOfSpinning() {
        Grading.assertRejectedBy(
                SPEC,
                "aWaiterThatHasAskedGoesOnWaitingUntilAFreshDeadline",
                ReusesAnExpiredDeadline.class,
                "the deadline had already passed, so it would return at once, again and again, holding the GIL's mutex");
    }

    @Test
    void aWaiterThatIgnoresWhyItWokeIsRejected() {
        Grading.assertRejectedBy(
                SPEC,
                "aWaiterWokenForNoReasonDoesNotAskBeforeTheIntervalHasPassed",
                IgnoresWhyItWoke.class,
                "worker-2 asked for a drop after a spurious wake-up, before its switch interval (20 ms) had passed");
    }

    /**
     * The worst case: a hand-off that spins, deaf to interrupts, in every rule. Only on demand:
     * {@code ./mvnw -q -pl 05-gil-simulation -am verify -Dtest=HandOffGradingTest#aHandOffThatHangsInEveryRuleIsToldWithinAMinute
     * -Dthreadlab.hangcheck=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(120)
    void aHandOffThatHangsInEveryRuleIsToldWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60),
                SPEC,
                HangsInEveryRule.class,
                "kept running without waiting on the GIL's clock",
                HangsInEveryRule.RELEASE::countDown);
    }
}
