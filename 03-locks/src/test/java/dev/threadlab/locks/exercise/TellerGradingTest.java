package dev.threadlab.locks.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.GradingSelfCheck;
import dev.threadlab.locks.exercise.fixtures.AuditForgetsTheLastUnlock;
import dev.threadlab.locks.exercise.fixtures.AuditLocksOneAccountAtATime;
import dev.threadlab.locks.exercise.fixtures.AuditReadsWithoutLocks;
import dev.threadlab.locks.exercise.fixtures.AuditSkipsALockedAccount;
import dev.threadlab.locks.exercise.fixtures.AuditSortsTheListItIsGiven;
import dev.threadlab.locks.exercise.fixtures.AuditsInListOrder;
import dev.threadlab.locks.exercise.fixtures.AuditsWithMonitorsInListOrder;
import dev.threadlab.locks.exercise.fixtures.ChecksBalanceBeforeLocking;
import dev.threadlab.locks.exercise.fixtures.ChecksUnderTheSendersLockThenLocksBoth;
import dev.threadlab.locks.exercise.fixtures.GivesUpWhenTheSecondLockIsBusy;
import dev.threadlab.locks.exercise.fixtures.HangsEverywhere;
import dev.threadlab.locks.exercise.fixtures.KeepsTheLocksWhenRefusing;
import dev.threadlab.locks.exercise.fixtures.LocksEachAccountSeparately;
import dev.threadlab.locks.exercise.fixtures.LocksInArgumentOrder;
import dev.threadlab.locks.exercise.fixtures.LocksInIdentityHashOrder;
import dev.threadlab.locks.exercise.fixtures.LocksInNameOrder;
import dev.threadlab.locks.exercise.fixtures.LocksOnlyTheSendingAccount;
import dev.threadlab.locks.exercise.fixtures.NestsSynchronizedInArgumentOrder;
import dev.threadlab.locks.exercise.fixtures.NoLocking;
import dev.threadlab.locks.exercise.fixtures.OwnLocksInArgumentOrder;
import dev.threadlab.locks.exercise.fixtures.RefusesToEmptyAnAccount;
import dev.threadlab.locks.exercise.fixtures.RestoresTheInterruptAndReturns;
import dev.threadlab.locks.exercise.fixtures.RetriesWhenInterrupted;
import dev.threadlab.locks.exercise.fixtures.ReturnsWhenInterrupted;
import dev.threadlab.locks.exercise.fixtures.SpinsForTheSecondLockHoldingTheFirst;
import dev.threadlab.locks.exercise.fixtures.ThrowsWhenALockIsBusy;
import dev.threadlab.locks.exercise.fixtures.WrapsTheInterrupt;
import dev.threadlab.locks.exercise.fixtures.correct.LocksInterruptiblyInIdOrder;
import dev.threadlab.locks.exercise.fixtures.correct.OneLockForTheWholeBank;
import dev.threadlab.locks.exercise.fixtures.correct.OwnStampedLocksInIdOrder;
import dev.threadlab.locks.exercise.fixtures.correct.SynchronizedInIdOrder;
import dev.threadlab.locks.exercise.fixtures.correct.TryLockAndBackOff;
import dev.threadlab.locks.exercise.fixtures.correct.TryLockBothAndRetry;
import dev.threadlab.locks.solution.ReferenceTeller;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proof that {@link TellerSpec} grades both ways: the reference and a correct teller in each
 * idiom pass, the untouched stub fails every rule with "not implemented yet", and each plausible
 * wrong teller is rejected by the rule that names its mistake, with that rule's message.
 */
@GradingSelfCheck
class TellerGradingTest {

    private static final String DEADLOCK_PRONE = "deadlock-prone: ";

    @Test
    void theReferenceTellerPasses() {
        Grading.assertPasses(TellerSpec.class, ReferenceTeller.class);
    }

    @ParameterizedTest(name = "{0} passes")
    @ValueSource(
            classes = {
                SynchronizedInIdOrder.class,
                OneLockForTheWholeBank.class,
                TryLockAndBackOff.class,
                TryLockBothAndRetry.class,
                OwnStampedLocksInIdOrder.class,
                LocksInterruptiblyInIdOrder.class
            })
    void aCorrectTellerInAnyIdiomPasses(Class<? extends Teller> correct) {
        Grading.assertPasses(TellerSpec.class, correct);
    }

    @TestFactory
    Stream<DynamicTest> theSpecIsWellFormed() {
        return Grading.wellFormed(TellerSpec.class);
    }

    @Test
    void aTellerWithoutLocksIsRejectedBecauseAnotherCallChangesAnAccountMidTransfer() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "aTransferIsOneStepForEveryOtherCall",
                NoLocking.class,
                "while transfer A to B was under way (the test held it still at its first read or change of a balance),"
                        + " transfer B to C changed account B and transfer C to A changed account A: a transfer must hold"
                        + " both accounts' locks");
    }

    @Test
    void aTellerLockingOnlyTheSendingAccountIsRejectedBecauseAnotherCallChangesTheOther() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "aTransferIsOneStepForEveryOtherCall",
                LocksOnlyTheSendingAccount.class,
                "transfer B to C changed account B and transfer C to A changed account A: a transfer must hold both");
    }

    @Test
    void aTellerLockingEachAccountSeparatelyIsRejectedBecauseAnotherCallChangesTheOther() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "aTransferIsOneStepForEveryOtherCall",
                LocksEachAccountSeparately.class,
                "while transfer A to B was under way (the test held it still at its first read or change of a balance),"
                        + " transfer B to C changed account B: a transfer must hold both");
    }

    @Test
    void aTellerLockingInArgumentOrderIsRejectedNamingTheLocks() {
        Grading.Report report = Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                LocksInArgumentOrder.class,
                DEADLOCK_PRONE + "transfer A to B took account A's lock, then waited for" + " account B's");

        assertThat(report.outcomes())
                .as("the message must say what the waiting call waits on, and who holds it")
                .anySatisfy(outcome -> assertThat(outcome.message())
                        .contains("Take the locks in increasing Account.id()")
                        .contains(
                                "\"transfer A to B\" WAITING on java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                        .contains("(account B) owned by \"transfer B to Z (held still by the test"));
    }

    @Test
    void aTellerNestingSynchronizedInArgumentOrderIsRejected() {
        Grading.Report report = Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                NestsSynchronizedInArgumentOrder.class,
                DEADLOCK_PRONE + "transfer A to B took account A's lock, then waited for account B's");

        assertThat(report.outcomes())
                .anySatisfy(outcome -> assertThat(outcome.message())
                        .contains("\"transfer A to B\" BLOCKED on dev.threadlab.locks.exercise.Account@")
                        .contains("(account B) owned by \"transfer B to Z"));
    }

    @Test
    void aTellerLockingInNameOrderIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                LocksInNameOrder.class,
                DEADLOCK_PRONE + "transfer A to B took account A's lock, then waited for account B's");
    }

    @Test
    void aTellerLockingInIdentityHashOrderIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                LocksInIdentityHashOrder.class,
                DEADLOCK_PRONE + "transfer A to B took account A's lock, then waited for account B's");
    }

    @Test
    void aTellerWithLocksOfItsOwnInArgumentOrderIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                OwnLocksInArgumentOrder.class,
                DEADLOCK_PRONE + "transfer A to B, waiting for account B (another call had it locked), held on to"
                        + " account A: meanwhile transfer A to W could not get A either (it waited for good)");
    }

    @Test
    void aTellerSpinningForTheSecondLockWhileHoldingTheFirstIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                SpinsForTheSecondLockHoldingTheFirst.class,
                DEADLOCK_PRONE + "transfer A to B kept account A's lock all the while it tried to get account B's");
    }

    @Test
    void aTellerGivingUpWhenALockIsBusyIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                GivesUpWhenTheSecondLockIsBusy.class,
                "transfer A to B had found account B locked by another call: it must wait for it, or retry, until it"
                        + " can move the money, not return without moving it");
    }

    /**
     * Which rules a teller that gives up on a busy second lock breaks is decided by the test, not by
     * which thread wakes first: in rules 8 and 12 each call beside the held one shares one account
     * with it and none with another call, so its second lock is never busy there; in rules 7 and 10
     * the test holds it busy. The verdict is pinned to the letter, so a run that differs fails.
     */
    @Test
    void aTellerGivingUpWhenALockIsBusyGetsTheSameVerdictEveryGrading() {
        String expected = "7=FAILED 8=PASSED 10=FAILED 12=PASSED | FAILING (10/12 rules pass). Broken rule: 7. A"
                + " transfer is one step for every other call — after transfers A to B (30), B to C (50) and C to A"
                + " (20), from 100 each, the balances were A 70, B 80, C 150; they should be A 90, B 80, C 130";
        // Graded once here (it is on the build's longest path); the stress run repeats it.
        Grading.Report report = Grading.grade(TellerSpec.class, GivesUpWhenTheSecondLockIsBusy.class);
        assertThat(Grading.pinned(report, 7, 8, 10, 12))
                .as("the grading of GivesUpWhenTheSecondLockIsBusy:\n" + report)
                .isEqualTo(expected);
    }

    @Test
    void aTellerThrowingWhenALockIsBusyIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "oppositeTransfersCannotDeadlock",
                ThrowsWhenALockIsBusy.class,
                "transfer A to B failed with java.lang.IllegalStateException: timed out waiting for account B after it"
                        + " found account B locked by another call");
    }

    @Test
    void anAuditLockingOneAccountAtATimeIsRejectedBecauseItCanSeeMoneyInFlight() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditSeesOneInstantEvenWhileTransfersRun",
                AuditLocksOneAccountAtATime.class,
                "while the audit of A, B, C was under way (the test held it still at its"
                        + " first read or change of a balance), transfer B to D changed account B and transfer C to E"
                        + " changed account C: an audit must hold every account's lock");
    }

    /**
     * The same audit, in the lock-order rule: it waits for B without holding A, so it cannot
     * deadlock, but its total is wrong. The message says why from what the probe saw (it read A,
     * then a transfer changed A before it read B), not "it gave up", which it did not.
     */
    @Test
    void anAuditLockingOneAccountAtATimeIsToldInTheLockOrderRuleToHoldEveryLockUntilTheSumIsRead() {
        Grading.Report report = Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditCannotDeadlockWithATransfer",
                AuditLocksOneAccountAtATime.class,
                "audit of A, B returned 190; it should return 189, the total of A and B once the transfer out of"
                        + " B it had to wait for was done: it read account A, and afterwards, before it read account"
                        + " B (another call had B locked), \"transfer A to W\" changed A. So the audit did not hold"
                        + " A's lock until the sum was read: it let go of it (or never took it) before it had read"
                        + " every balance, and its total mixes two moments. Hold every account's lock, taken in"
                        + " increasing Account.id(), from before the first read until the sum is read.");
        assertThat(report.outcomes())
                .as("it waited for B, never gave up: no message may tell it to stop giving up")
                .noneSatisfy(outcome -> assertThat(outcome.message()).contains("give up"));
    }

    @Test
    void anAuditReadingWithoutLocksIsToldItReadABalanceAnotherCallHadLocked() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditCannotDeadlockWithATransfer",
                AuditReadsWithoutLocks.class,
                "audit of A, B returned 200; it should return 190, the total of A and B once the transfer out of"
                        + " B it had to wait for was done: it read account B's balance while another call had B"
                        + " locked (the test held that call still inside its locks), so it read B without holding"
                        + " B's lock. Read each balance only while holding that account's lock, and hold every"
                        + " account's lock until the sum is read.");
    }

    @Test
    void anAuditSkippingALockedAccountIsToldItGaveUp() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditCannotDeadlockWithATransfer",
                AuditSkipsALockedAccount.class,
                "audit of A, B returned 100; it should return 190, the total of A and B once the transfer out of"
                        + " B it had to wait for was done: it never read account B, which another call had locked:"
                        + " it gave up. An audit that finds an account locked must wait for it, or retry, until it"
                        + " has read every balance, not give up.");
    }

    @Test
    void aTellerCheckingTheBalanceBeforeLockingIsRejectedForOverdrawing() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "twoRacingTransfersCannotOverdrawAnAccount",
                ChecksBalanceBeforeLocking.class,
                "while transfer A to B (60 out of the 100 in A) was under way (the test held it still at its first read"
                        + " or change of a balance), transfer A to C changed account A: both transfers can then be paid,"
                        + " overdrawing A");
    }

    @Test
    void aTellerCheckingUnderOneLockThenLockingBothIsRejectedForOverdrawing() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "twoRacingTransfersCannotOverdrawAnAccount",
                ChecksUnderTheSendersLockThenLocksBoth.class,
                "transfer A to B read A's balance holding A's lock, let go of that lock, and then took it again to"
                        + " move the money. The test held it there, and transfer A to C, meanwhile, found the same 100"
                        + " in A and was paid");
    }

    @Test
    void aTellerKeepingItsLocksWhenRefusingIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "aRefusedTransferLeavesBothAccountsUnlocked",
                KeepsTheLocksWhenRefusing.class,
                "a lock was left held after a refused transfer (150 from A, which held 100, to B): then transfer A to B,"
                        + " in another thread, waited for good");
    }

    @Test
    void anAuditLeavingALockHeldIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "theAuditorAddsUpEveryAccount",
                AuditForgetsTheLastUnlock.class,
                "a lock was left held after an audit of C, A, B: then audit of A, B, C, in another thread, waited for good");
    }

    @Test
    void anAuditSortingTheListItIsGivenIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "theAuditorAddsUpEveryAccount",
                AuditSortsTheListItIsGiven.class,
                "audit(List.of(C, A, B)) threw java.lang.UnsupportedOperationException: it tried to change the list it"
                        + " was given");
    }

    @Test
    void aTellerRefusingToMoveTheWholeBalanceIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "theWholeBalanceCanBeMoved",
                RefusesToEmptyAnAccount.class,
                "moving the whole balance (100 out of an account holding 100) must succeed and leave 0");
    }

    @Test
    void aTellerAuditingInListOrderIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditCannotDeadlockWithATransfer",
                AuditsInListOrder.class,
                DEADLOCK_PRONE + "audit of A, B took account A's lock, then waited for account B's");
    }

    @Test
    void aTellerAuditingWithMonitorsInListOrderIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anAuditCannotDeadlockWithATransfer",
                AuditsWithMonitorsInListOrder.class,
                DEADLOCK_PRONE + "audit of A, B took account A's lock, then waited for account B's");
    }

    private static final String INTERRUPTED = "transfer B to C (10), interrupted while it waited for a lock that"
            + " transfer A to B (30) held (the test held that transfer still inside its locks),";

    private static final String EITHER = " Either let the InterruptedException out as it is, having moved nothing"
            + " (lockInterruptibly() throws it), or wait on (lock(), synchronized) and move the money, leaving the"
            + " thread's interrupt status set.";

    @Test
    void aTransferReturningAsIfDoneWhenInterruptedIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anInterruptedTransferMovesTheMoneyOrThrowsInterruptedException",
                ReturnsWhenInterrupted.class,
                INTERRUPTED + " returned as if it were done, but moved nothing (the balances were A 70, B 130, C 100"
                        + " once both transfers had ended; it should have moved 10 to C, or thrown): its caller cannot tell"
                        + " that the transfer did not happen." + EITHER);
    }

    @Test
    void aTransferRestoringTheInterruptButReturningAsIfDoneIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anInterruptedTransferMovesTheMoneyOrThrowsInterruptedException",
                RestoresTheInterruptAndReturns.class,
                INTERRUPTED + " returned as if it were done, but moved nothing (the balances were A 70, B 130, C 100"
                        + " once both transfers had ended; it should have moved 10 to C, or thrown): its caller cannot tell"
                        + " that the transfer did not happen, even with the interrupt status restored." + EITHER);
    }

    @Test
    void aTransferSwallowingTheInterruptIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anInterruptedTransferMovesTheMoneyOrThrowsInterruptedException",
                RetriesWhenInterrupted.class,
                INTERRUPTED + " moved the money, but returned with the thread's interrupt status cleared: it"
                        + " swallowed the interrupt (caught the InterruptedException and went on), so whoever"
                        + " interrupted the thread never learns of it. Let the InterruptedException out, having moved"
                        + " nothing; or, to wait on, restore the status (Thread.currentThread().interrupt()) before"
                        + " you return, as lock() and synchronized leave it set.");
    }

    @Test
    void aTransferWrappingTheInterruptIsRejected() {
        Grading.assertRejectedBy(
                TellerSpec.class,
                "anInterruptedTransferMovesTheMoneyOrThrowsInterruptedException",
                WrapsTheInterrupt.class,
                INTERRUPTED + " threw java.lang.IllegalStateException: interrupted while waiting for account B, an"
                        + " InterruptedException wrapped: transfer declares InterruptedException, so whoever"
                        + " interrupted the thread can catch it; wrapped, it is an unchecked failure that no caller"
                        + " expects." + EITHER);
    }

    /**
     * The worst case: a teller whose every call waits for good. Run on demand (it takes the spec's
     * class timeout): {@code ./mvnw -q -pl 03-locks -am verify -Dtest=TellerGradingTest#aTellerThatHangsEverywhere*
     * -Dsurefire.failIfNoSpecifiedTests=false -Dthreadlab.hangcheck=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "threadlab.hangcheck", matches = "true")
    @Timeout(60)
    void aTellerThatHangsEverywhereGetsItsVerdictWithinAMinute() {
        Grading.assertHangVerdictWithin(
                Duration.ofSeconds(60), TellerSpec.class, HangsEverywhere.class, "hang", () -> {});
    }
}
