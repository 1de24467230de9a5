package dev.threadlab.locks.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.locks.solution.ReferenceTeller;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graded specification of the exercise: what a {@link Teller} must do, one rule per test.
 * The sequential rules come first; then the concurrent ones, proven deterministically: three
 * with Lincheck's model checker ({@link BankModel}), two with a forced interleaving
 * ({@link ForcedMeetings}). Every test calls the teller before anything else, so an untouched
 * stub fails each one with "not implemented yet".
 */
@GradedExercise(value = "03 a teller moving money between accounts", learner = YourTeller.class,
        reference = ReferenceTeller.class)
class TellerSpec {

    @Test
    void aTransferMovesTheAmountFromOneAccountToTheOther(@Solution Teller teller) throws InterruptedException {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 20);

        teller.transfer(a, b, 30);

        assertThat(List.of(a.balance(), b.balance()))
                .as("after moving 30 from A (100) to B (20), A should hold 70 and B 50")
                .containsExactly(70L, 50L);
    }

    @Test
    void theAuditorAddsUpEveryAccount(@Solution Teller teller) throws InterruptedException {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 20);
        Account c = new Account("account C", 3);

        long total = teller.audit(List.of(a, b, c));

        assertThat(total).as("audit of accounts holding 100, 20 and 3 should be 123").isEqualTo(123);
        assertThat(List.of(a, b, c)).as("the audit must release every lock it took")
                .noneMatch(account -> account.lock().isLocked());
    }

    @Test
    void anOverdraftIsRefusedWithAClearExceptionAndNothingMoves(@Solution Teller teller) {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 0);

        Throwable refusal = thrownBy(() -> teller.transfer(a, b, 150));

        assertThat(refusal).as("sending 150 from an account holding 100 must be refused with InsufficientFundsException")
                .isInstanceOf(InsufficientFundsException.class)
                .hasMessage("account A has 100, cannot send 150");
        assertThat(List.of(a.balance(), b.balance())).as("a refused transfer must move nothing")
                .containsExactly(100L, 0L);
    }

    @Test
    void theWholeBalanceCanBeMoved(@Solution Teller teller) {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 0);

        Throwable refusal = thrownBy(() -> teller.transfer(a, b, 100));

        assertThat(refusal).as("moving the whole balance (100 out of an account holding 100) must succeed and leave 0:"
                        + " only an amount larger than the balance is an overdraft (balance < amount, not <=)")
                .isNull();
        assertThat(List.of(a.balance(), b.balance()))
                .as("after moving all 100 from A to B (0), A should hold 0 and B 100")
                .containsExactly(0L, 100L);
    }

    @Test
    void aRefusedTransferLeavesBothAccountsUnlocked(@Solution Teller teller) {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 0);

        assertThat(thrownBy(() -> teller.transfer(a, b, 150)))
                .as("sending 150 from an account holding 100 must be refused with InsufficientFundsException")
                .isInstanceOf(InsufficientFundsException.class);

        assertThat(List.of(a, b))
                .as("an account is still locked after a refused transfer: unlock in finally,"
                        + " or the next transfer touching it waits forever")
                .noneMatch(account -> account.lock().isLocked());
    }

    @Test
    void aTransferOfNothingOrToTheSameAccountIsRejected(@Solution Teller teller) {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 0);

        assertThat(thrownBy(() -> teller.transfer(a, b, 0)))
                .as("a transfer of 0 must be rejected with IllegalArgumentException")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(thrownBy(() -> teller.transfer(a, b, -5)))
                .as("a negative transfer must be rejected with IllegalArgumentException (it would move money backwards)")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(thrownBy(() -> teller.transfer(a, a, 10)))
                .as("a transfer from an account to itself must be rejected with IllegalArgumentException")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(a.balance(), b.balance())).as("a rejected transfer must move nothing")
                .containsExactly(100L, 0L);
    }

    @Test
    void moneyIsNeitherCreatedNorLostByConcurrentTransfers(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        BankModel.check(teller, BankModel.Transfers.class, "threeFromAToB", "fiveFromAToC",
                "money was created or lost when two transfers out of account A ran at once: read and write"
                        + " a balance only while holding its account's lock");
    }

    @Test
    void theAuditorNeverSeesMoneyInFlight(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        BankModel.check(teller, BankModel.Transfers.class, "threeFromAToB", "audit",
                "the auditor saw money in flight (a total other than 3000) while a transfer ran: hold both"
                        + " accounts' locks for the whole transfer, and every account's lock for the audit");
    }

    @Test
    void twoRacingTransfersCannotOverdrawAnAccount(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        BankModel.check(teller, BankModel.RacingWithdrawals.class, "sixtyFromAToB", "sixtyFromAToC",
                "account A was overdrawn (or paid out twice) when two transfers of 60 raced to empty it"
                        + " (it held 100): check the balance and withdraw while holding the lock, as one step");
    }

    @Test
    @Timeout(40)
    void oppositeTransfersThatMeetDoNotDeadlock(@Solution Teller teller) throws InterruptedException {
        ForcedMeetings meetings = new ForcedMeetings();

        ForcedMeetings.Outcome outcome = meetings.oppositeTransfers(teller);

        rethrowUnchecked(outcome);
        assertThat(outcome.failures()).as("neither transfer should fail").isEmpty();
        assertThat(List.of(meetings.a.balance(), meetings.b.balance()))
                .as("after A to B (30) and B to A (50) from 100 each, A should hold 120 and B 80")
                .containsExactly(120L, 80L);
    }

    @Test
    @Timeout(40)
    void anAuditAndATransferThatMeetDoNotDeadlock(@Solution Teller teller) throws InterruptedException {
        ForcedMeetings meetings = new ForcedMeetings();

        ForcedMeetings.Outcome outcome = meetings.transferBesideAudit(teller);

        rethrowUnchecked(outcome);
        assertThat(outcome.failures()).as("neither the transfer nor the audit should fail").isEmpty();
        assertThat(outcome.results().get("audit-C-B-A"))
                .as("the audit of three accounts holding 100 each should be 300, before or after the transfer")
                .isEqualTo(300L);
        assertThat(List.of(meetings.a.balance(), meetings.b.balance(), meetings.c.balance()))
                .as("after A to B (30) from 100 each, A should hold 70, B 130 and C 100")
                .containsExactly(70L, 130L, 100L);
    }

    /** Passes on what a call threw unchecked: "not implemented yet", a wrong exception, ... */
    private static void rethrowUnchecked(ForcedMeetings.Outcome outcome) {
        for (Throwable failure : outcome.failures().values()) {
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
        }
    }

    /** What {@code call} threw; "not implemented yet" is passed on as is, so the report shows it. */
    private static Throwable thrownBy(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        if (thrown instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        return thrown;
    }

    /** Calls the teller once, alone, so an unwritten one fails here with "not implemented yet". */
    private static void requireATransfer(Teller teller) throws InterruptedException {
        Account from = new Account("account X", 10);
        Account to = new Account("account Y", 0);
        teller.transfer(from, to, 1);
        assertThat(to.balance()).as("a transfer of 1 to an empty account should leave 1 in it").isEqualTo(1);
    }
}
