package dev.threadlab.gil.exercise;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.gil.exercise.fixtures.AsksAtOnce;
import dev.threadlab.gil.exercise.fixtures.HardCodedInterval;
import dev.threadlab.gil.exercise.fixtures.IgnoresSwitchNumber;
import dev.threadlab.gil.exercise.fixtures.IgnoresWhyItWoke;
import dev.threadlab.gil.exercise.fixtures.NeverReleases;
import dev.threadlab.gil.exercise.fixtures.RetakesWithoutForcedSwitch;
import dev.threadlab.gil.exercise.fixtures.ReusesAnExpiredDeadline;
import dev.threadlab.gil.solution.ReferenceHandOff;
import org.junit.jupiter.api.Test;

/** The spec grades both ways: it accepts the reference and rejects each plausible mistake, saying which. */
@GradingSelfCheck
class HandOffGradingTest {

    @Test
    void theReferenceSolutionPasses() {
        Grading.assertPasses(HandOffSpec.class, ReferenceHandOff.class);
    }

    @Test
    void theUntouchedStubFailsEveryRuleWithNotImplementedYet() {
        Grading.assertNotImplementedYet(HandOffSpec.class);
    }

    @Test
    void aHolderThatNeverReleasesIsRejectedForStarvation() {
        Grading.assertRejects(HandOffSpec.class, NeverReleases.class,
                "starvation: worker-1 ran its next chunk without dropping the GIL");
    }

    @Test
    void aHolderThatRetakesWithoutForcedSwitchingIsRejected() {
        Grading.assertRejects(HandOffSpec.class, RetakesWithoutForcedSwitch.class,
                "worker-1 re-took the GIL: it dropped it at worker-2's request, then took it back");
    }

    @Test
    void aWaiterThatAsksAtOnceIsRejectedForIgnoringTheInterval() {
        Grading.assertRejects(HandOffSpec.class, AsksAtOnce.class,
                "ignoring the interval: worker-2 asked for a drop at once");
    }

    @Test
    void aWaiterWithAHardCodedIntervalIsRejected() {
        Grading.assertRejects(HandOffSpec.class, HardCodedInterval.class,
                "worker-2's wait for the GIL must last one switch interval (gil.switchIntervalNanos(), here 20 ms)");
    }

    @Test
    void aWaiterThatIgnoresTheSwitchNumberIsRejected() {
        Grading.assertRejects(HandOffSpec.class, IgnoresSwitchNumber.class,
                "asked for a drop although the GIL changed hands during its wait");
    }

    @Test
    void aWaiterThatReusesAnExpiredDeadlineIsRejectedAtOnceInsteadOfSpinning() {
        Grading.assertRejects(HandOffSpec.class, ReusesAnExpiredDeadline.class,
                "the deadline had already passed, so it would return at once, again and again, holding the GIL's mutex");
    }

    @Test
    void aWaiterThatIgnoresWhyItWokeIsRejected() {
        Grading.assertRejects(HandOffSpec.class, IgnoresWhyItWoke.class,
                "worker-2 asked for a drop after a spurious wake-up, before its switch interval (20 ms) had passed");
    }
}
