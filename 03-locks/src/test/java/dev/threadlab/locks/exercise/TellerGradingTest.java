package dev.threadlab.locks.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.locks.exercise.fixtures.AuditsInListOrder;
import dev.threadlab.locks.exercise.fixtures.ChecksBalanceBeforeLocking;
import dev.threadlab.locks.exercise.fixtures.KeepsTheLocksWhenRefusing;
import dev.threadlab.locks.exercise.fixtures.LocksEachAccountSeparately;
import dev.threadlab.locks.exercise.fixtures.LocksInArgumentOrder;
import dev.threadlab.locks.exercise.fixtures.NoLocking;
import dev.threadlab.locks.exercise.fixtures.RefusesToEmptyAnAccount;
import dev.threadlab.locks.solution.ReferenceTeller;
import org.junit.jupiter.api.Test;

/**
 * Proof that {@link TellerSpec} grades both ways: the reference passes, the untouched stub fails
 * every rule with "not implemented yet", and each plausible wrong teller is rejected with the
 * message that names its mistake.
 */
@GradingSelfCheck
class TellerGradingTest {

    @Test
    void theReferenceTellerPasses() {
        Grading.assertPasses(TellerSpec.class, ReferenceTeller.class);
    }

    @Test
    void theUntouchedStubFailsEveryRuleWithNotImplementedYet() {
        Grading.assertNotImplementedYet(TellerSpec.class);
    }

    @Test
    void aTellerWithoutLocksIsRejectedForLosingMoney() {
        Grading.assertRejectedBy(TellerSpec.class, "moneyIsNeitherCreatedNorLostByConcurrentTransfers", NoLocking.class,
                "money was created or lost when two transfers out of account A ran at once");
    }

    @Test
    void aTellerLockingInArgumentOrderIsRejectedForDeadlockingNamingTheCycle() {
        Grading.Report report = Grading.assertRejectedBy(TellerSpec.class, "oppositeTransfersThatMeetDoNotDeadlock", LocksInArgumentOrder.class,
                "deadlock: transfer A to B and transfer B to A each hold one account's lock");

        assertThat(report.outcomes()).as("the deadlock message must name the cycle: threads and account locks")
                .anySatisfy(outcome -> assertThat(outcome.message())
                        .contains("\"transfer-A-to-B\" waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                        .contains("(account B) held by \"transfer-B-to-A\"")
                        .contains("(account A) held by \"transfer-A-to-B\""));
    }

    @Test
    void aTellerLockingEachAccountSeparatelyIsRejectedBecauseTheAuditorSeesMoneyInFlight() {
        Grading.assertRejectedBy(TellerSpec.class, "theAuditorNeverSeesMoneyInFlight", LocksEachAccountSeparately.class,
                "the auditor saw money in flight");
    }

    @Test
    void aTellerCheckingTheBalanceBeforeLockingIsRejectedForOverdrawing() {
        Grading.assertRejectedBy(TellerSpec.class, "twoRacingTransfersCannotOverdrawAnAccount", ChecksBalanceBeforeLocking.class,
                "account A was overdrawn (or paid out twice) when two transfers of 60 raced");
    }

    @Test
    void aTellerKeepingItsLocksWhenRefusingIsRejected() {
        Grading.assertRejectedBy(TellerSpec.class, "aRefusedTransferLeavesBothAccountsUnlocked", KeepsTheLocksWhenRefusing.class,
                "an account is still locked after a refused transfer");
    }

    @Test
    void aTellerRefusingToMoveTheWholeBalanceIsRejected() {
        Grading.assertRejectedBy(TellerSpec.class, "theWholeBalanceCanBeMoved", RefusesToEmptyAnAccount.class,
                "moving the whole balance (100 out of an account holding 100) must succeed and leave 0");
    }

    @Test
    void aTellerAuditingInListOrderIsRejectedForDeadlockingWithATransfer() {
        Grading.Report report = Grading.assertRejectedBy(TellerSpec.class, "anAuditAndATransferThatMeetDoNotDeadlock",
                AuditsInListOrder.class, "deadlock: the audit of C, B, A and transfer A to B each hold one account's lock");

        assertThat(report.outcomes()).as("the deadlock message must name the cycle: threads and account locks")
                .anySatisfy(outcome -> assertThat(outcome.message())
                        .contains("(account A) held by \"transfer-A-to-B\"")
                        .contains("(account B) held by \"audit-C-B-A\""));
    }
}
