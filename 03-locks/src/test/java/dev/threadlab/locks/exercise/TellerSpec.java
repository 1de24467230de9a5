package dev.threadlab.locks.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.locks.solution.ReferenceTeller;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The graded specification of the exercise: what a {@link Teller} must do, one rule per test, in
 * the order of the {@link Teller} javadoc. The sequential rules come first; then the concurrent
 * ones, proven deterministically, whatever locks the teller uses, by holding a call still at its
 * first read or change of a balance ({@link Bank#holdStill}) and looking at what else can run
 * meanwhile ({@link LockOrderProbe} for the lock order). (Lincheck's model checker also sees any
 * lock, but one check of a correct teller took 2 to 22 s on a loaded 2-core machine; holding a
 * call still proves these rules in well under a second.) Every test calls the teller before anything else, so
 * an untouched stub fails each one with "not implemented yet".
 *
 * <p>Timing: a correct teller passes each rule in well under 3 s on a loaded 2-core machine; a
 * call stuck for good is recognised within {@link TellerCall#QUIET}, and one that keeps trying
 * within {@link Bank#TRYING_LIMIT}. The class timeout catches a call that never returns to the
 * test's own thread; after it, the remaining rules are skipped (common's {@code SolutionResolver}; a hang is a {@code SolutionHung}).
 */
@GradedExercise(
        value = "03.2 a teller moving money between accounts",
        learner = YourTeller.class,
        reference = ReferenceTeller.class)
// Balances are read only once the calls that changed them have finished (joined, or returned on
// this thread), which Error Prone's GuardedBy cannot know: it would ask for the account's lock.
@SuppressWarnings("GuardedBy")
// A bound for a teller that hangs where nothing else catches it (a deadlock is caught within 100 ms
// of quiet, by thread states). A correct teller needs under a second here; one took more than 15 s
// with the machine at load 25 on 2 cores, so the bound is 30 s: one hang costs it once, the rest
// of the spec is skipped.
@Timeout(30)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TellerSpec {

    @Test
    @Order(1)
    @DisplayName("1. A transfer moves the amount from one account to the other")
    void aTransferMovesTheAmountFromOneAccountToTheOther(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 20);

            run("transfer(A, B, 30)", () -> teller.transfer(a, b, 30));

            assertThat(List.of(a.balance(), b.balance()))
                    .as("after moving 30 from A (100) to B (20), A should hold 70 and B 50")
                    .containsExactly(70L, 50L);
            bank.assertNothingLeftLockedAfter("a transfer of 30 from A to B", teller, b, a);
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. A transfer of nothing or to the same account is rejected")
    void aTransferOfNothingOrToTheSameAccountIsRejected(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 0);

            assertThat(thrownBy(() -> teller.transfer(a, b, 0)))
                    .as("a transfer of 0 must be rejected with IllegalArgumentException")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(thrownBy(() -> teller.transfer(a, b, -5)))
                    .as(
                            "a negative transfer must be rejected with IllegalArgumentException (it would move money backwards)")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(thrownBy(() -> teller.transfer(a, a, 10)))
                    .as("a transfer from an account to itself must be rejected with IllegalArgumentException")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(List.of(a.balance(), b.balance()))
                    .as("a rejected transfer must move nothing")
                    .containsExactly(100L, 0L);
            bank.assertNothingLeftLockedAfter("rejected transfers (of 0, of -5, from A to A)", teller, a, b);
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. An overdraft is refused with a clear exception and nothing moves")
    void anOverdraftIsRefusedWithAClearExceptionAndNothingMoves(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 0);

            Throwable refusal = thrownBy(() -> teller.transfer(a, b, 150));

            assertThat(refusal)
                    .as("sending 150 from an account holding 100 must be refused with InsufficientFundsException")
                    .isInstanceOf(InsufficientFundsException.class)
                    .hasMessage("account A has 100, cannot send 150");
            assertThat(List.of(a.balance(), b.balance()))
                    .as("a refused transfer must move nothing")
                    .containsExactly(100L, 0L);
        }
    }

    @Test
    @Order(4)
    @DisplayName("4. The whole balance can be moved")
    void theWholeBalanceCanBeMoved(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 0);

            Throwable refusal = thrownBy(() -> teller.transfer(a, b, 100));

            assertThat(refusal)
                    .as("moving the whole balance (100 out of an account holding 100) must succeed and leave 0:"
                            + " only an amount larger than the balance is an overdraft (balance < amount, not <=)")
                    .isNull();
            assertThat(List.of(a.balance(), b.balance()))
                    .as("after moving all 100 from A to B (0), A should hold 0 and B 100")
                    .containsExactly(0L, 100L);
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. A refused transfer leaves both accounts unlocked")
    void aRefusedTransferLeavesBothAccountsUnlocked(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 0);

            assertThat(thrownBy(() -> teller.transfer(a, b, 150)))
                    .as("sending 150 from an account holding 100 must be refused with InsufficientFundsException")
                    .isInstanceOf(InsufficientFundsException.class);

            bank.assertNothingLeftLockedAfter("a refused transfer (150 from A, which held 100, to B)", teller, a, b);
        }
    }

    @Test
    @Order(6)
    @DisplayName("6. The auditor adds up every account")
    void theAuditorAddsUpEveryAccount(@Solution Teller teller) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 20);
            Account c = bank.open("account C", 3);

            long total = call("audit(List.of(C, A, B))", () -> teller.audit(List.of(c, a, b)));

            assertThat(total)
                    .as("audit of accounts holding 3, 100 and 20 should be 123")
                    .isEqualTo(123);
            bank.assertNothingLeftLockedAfter("an audit of C, A, B", teller, List.of(a, b, c));
        }
    }

    @Test
    @Order(7)
    @DisplayName("7. A transfer is one step for every other call")
    void aTransferIsOneStepForEveryOtherCall(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 100);
            Account c = bank.open("account C", 100);

            bank.holdStill(teller, a, b, 30, Bank.At.FIRST_ACCESS);
            TellerCall outOfB = runBeside(bank, TellerCall.transfer(teller, b, c, 50));
            TellerCall intoA = runBeside(bank, TellerCall.transfer(teller, c, a, 20));

            assertNoChangeWhileHeld(
                    bank,
                    "transfer A to B",
                    "a transfer must hold both accounts' locks from before it"
                            + " first reads a balance to after its last change, and every call must hold an account's lock"
                            + " while it reads or changes the balance; otherwise an update is lost, an account is overdrawn,"
                            + " or an auditor sees the money in neither account.");
            bank.letGoAndAwaitAll();
            Bank.rethrowUnchecked(outOfB);
            Bank.rethrowUnchecked(intoA);
            assertBalances(
                    bank,
                    "A 90, B 80, C 130",
                    "after transfers A to B (30), B to C (50) and C to A (20)," + " from 100 each");
        }
    }

    @Test
    @Order(8)
    @DisplayName("8. An audit sees one instant, even while transfers run")
    void anAuditSeesOneInstantEvenWhileTransfersRun(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 100);
            Account c = bank.open("account C", 100);
            // Each transfer beside the audit shares one account with it and none with any other call:
            // it waits for the audit there, and its other account is always free, whatever order the
            // audit lets go of its locks in, so what it does after the audit is decided by the test.
            Account d = bank.open("account D", 100);
            Account e = bank.open("account E", 100);

            TellerCall audit = bank.holdStill(
                    "audit of A, B, C", Bank.At.FIRST_ACCESS, List.of(a, b, c), () -> teller.audit(List.of(a, b, c)));
            TellerCall bToD = runBeside(bank, TellerCall.transfer(teller, b, d, 20));
            TellerCall cToE = runBeside(bank, TellerCall.transfer(teller, c, e, 30));

            assertNoChangeWhileHeld(
                    bank,
                    "the audit of A, B, C",
                    "an audit must hold every account's lock from before"
                            + " its first read to after its last, so that its total is the total at one instant; otherwise it"
                            + " can see money that has left one account and not yet reached the other.");
            bank.letGoAndAwaitAll();
            Bank.rethrowUnchecked(audit);
            Bank.rethrowUnchecked(bToD);
            Bank.rethrowUnchecked(cToE);
            if (!Long.valueOf(300).equals(audit.result())) {
                throw new AssertionError("the audit of A, B, C (100 each) returned " + audit.result() + "; it should"
                        + " return 300 (the transfers beside it changed nothing while it ran).");
            }
            assertBalances(
                    bank,
                    "A 100, B 80, C 70, D 120, E 130",
                    "after transfers B to D (20) and C to E (30), from 100 each");
        }
    }

    @Test
    @Order(9)
    @DisplayName("9. Two racing transfers cannot overdraw an account")
    void twoRacingTransfersCannotOverdrawAnAccount(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 0);
            Account c = bank.open("account C", 0);

            TellerCall first = bank.holdStill(teller, a, b, 60, Bank.At.FIRST_ACCESS);
            TellerCall second = runBeside(bank, TellerCall.transfer(teller, a, c, 60));

            assertNoChangeWhileHeld(
                    bank,
                    "transfer A to B (60 out of the 100 in A)",
                    "both transfers can then be"
                            + " paid, overdrawing A. Check the balance and withdraw while holding the lock, as one step.");
            // A check under A's lock, then the change under locks taken again, leaves a gap between
            // them: the test holds transfer A to B in that gap (at its re-lock) until A to C settles.
            if (bank.letGoUntilItTakesAReleasedLockAgain()) {
                second.awaitSettled(Bank.TRYING_LIMIT);
                if (second.finished() && second.failure() == null) {
                    throw new AssertionError("transfer A to B read A's balance holding A's lock, let go of that lock,"
                            + " and then took it again to move the money. The test held it there, and transfer A to"
                            + " C, meanwhile, found the same 100 in A and was paid: both transfers of 60 were paid out"
                            + " of 100, overdrawing A (check-then-act). Check the balance and withdraw under the same"
                            + " locks, held from the check to the last change: take both accounts' locks once, before"
                            + " the check.");
                }
            }
            bank.letGoAndAwaitAll();
            Bank.rethrowUnchecked(first);
            if (!(second.failure() instanceof InsufficientFundsException)) {
                Bank.rethrowUnchecked(second);
                throw new AssertionError("account A was overdrawn (or paid out twice) when two transfers of 60 raced to"
                        + " empty it (it held 100): transfer A to C, which waited for transfer A to B, must then be"
                        + " refused with InsufficientFundsException. Check the balance and withdraw while holding the"
                        + " lock, as one step.");
            }
            assertBalances(bank, "A 40, B 60, C 0", "after transfer A to B (60) and a refused transfer A to C");
        }
    }

    @Test
    @Order(10)
    @DisplayName("10. Opposite transfers cannot deadlock")
    void oppositeTransfersCannotDeadlock(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        LockOrderProbe probe = new LockOrderProbe(teller);

        probe.assertWaitsOnlyInIdOrder(LockOrderProbe.transfer("A", "B"));
        probe.assertWaitsOnlyInIdOrder(LockOrderProbe.transfer("B", "A"));
    }

    @Test
    @Order(11)
    @DisplayName("11. An audit cannot deadlock with a transfer")
    void anAuditCannotDeadlockWithATransfer(@Solution Teller teller) throws InterruptedException {
        requireATransfer(teller);
        LockOrderProbe probe = new LockOrderProbe(teller);

        probe.assertWaitsOnlyInIdOrder(LockOrderProbe.audit("A", "B"));
        probe.assertWaitsOnlyInIdOrder(LockOrderProbe.audit("B", "A"));
    }

    @Test
    @Order(12)
    @DisplayName("12. An interrupted transfer moves the money or throws InterruptedException")
    void anInterruptedTransferMovesTheMoneyOrThrowsInterruptedException(@Solution Teller teller)
            throws InterruptedException {
        requireATransfer(teller);
        try (Bank bank = new Bank()) {
            Account a = bank.open("account A", 100);
            Account b = bank.open("account B", 100);
            // The interrupted transfer shares one account (B) with the held one and none with any
            // other call: its other account is always free, whatever order the held transfer lets go
            // of its locks in, so what it does once it has B is decided by the test.
            Account c = bank.open("account C", 100);

            TellerCall held = bank.holdStill(teller, a, b, 30, Bank.At.FIRST_ACCESS);
            TellerCall interrupted = bank.track(TellerCall.start("transfer B to C", () -> {
                teller.transfer(b, c, 10);
                return Thread.currentThread().isInterrupted(); // its interrupt status as it returned
            }));
            interrupted.awaitSettled(Bank.TRYING_LIMIT);
            if (interrupted.finished()) {
                Bank.rethrowUnchecked(interrupted);
                throw new AssertionError("transfer B to C "
                        + (interrupted.failure() == null ? "returned" : "threw " + interrupted.failure())
                        + " while transfer A to B held accounts A and B (the test held it still at its first read"
                        + " or change of a balance), before the test interrupted it: a transfer that finds an"
                        + " account locked waits for it (rules 7 and 10).");
            }
            interrupted.thread().interrupt(); // it waits for a lock the held transfer has: forced, not timed
            bank.letGoAndAwaitAll();
            Bank.rethrowUnchecked(held);

            String balances = Bank.show(bank.balances());
            String notMoved = "A 70, B 130, C 100";
            String moved = "A 70, B 120, C 110";
            String what = "transfer B to C (10), interrupted while it waited for a lock that transfer A to B (30)"
                    + " held (the test held that transfer still inside its locks),";
            String either = " Either let the InterruptedException out as it is, having moved nothing"
                    + " (lockInterruptibly() throws it), or wait on (lock(), synchronized) and move the money,"
                    + " leaving the thread's interrupt status set.";
            Throwable failure = interrupted.failure();
            if (failure instanceof InterruptedException) {
                if (!balances.equals(notMoved)) {
                    throw new AssertionError(what + " threw InterruptedException, but the balances were then "
                            + balances + ", not " + notMoved + ": money moved. Throw it only before anything"
                            + " moves, so that nothing has moved when it is thrown.");
                }
                return;
            }
            if (failure != null) {
                if (causedByAnInterrupt(failure)) {
                    throw new AssertionError(
                            what + " threw " + failure + ", an InterruptedException wrapped:"
                                    + " transfer declares InterruptedException, so whoever interrupted the thread can catch"
                                    + " it; wrapped, it is an unchecked failure that no caller expects." + either,
                            failure);
                }
                Bank.rethrowUnchecked(interrupted);
                throw new AssertionError(what + " threw " + failure + "." + either, failure);
            }
            if (balances.equals(notMoved)) {
                throw new AssertionError(what + " returned as if it were done, but moved nothing (the balances"
                        + " were " + balances + " once both transfers had ended; it should have moved 10 to C, or"
                        + " thrown): its caller cannot tell that the transfer did not happen"
                        + (Boolean.TRUE.equals(interrupted.result())
                                ? ", even with the interrupt status restored."
                                : ".")
                        + either);
            }
            if (!balances.equals(moved)) {
                throw new AssertionError(what + " returned, and the balances were then " + balances + "; they should"
                        + " be " + moved + " (both transfers done).");
            }
            if (!Boolean.TRUE.equals(interrupted.result())) {
                throw new AssertionError(what + " moved the money, but returned with the thread's interrupt status"
                        + " cleared: it swallowed the interrupt (caught the InterruptedException and went on), so"
                        + " whoever interrupted the thread never learns of it. Let the InterruptedException out,"
                        + " having moved nothing; or, to wait on, restore the status"
                        + " (Thread.currentThread().interrupt()) before you return, as lock() and synchronized"
                        + " leave it set.");
            }
        }
    }

    /** @return true if {@code failure} is, or was caused by, an {@link InterruptedException} */
    private static boolean causedByAnInterrupt(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** Tracks {@code call}, started beside a held one, and lets it get as far as it can. */
    private static TellerCall runBeside(Bank bank, TellerCall call) throws InterruptedException {
        bank.track(call).awaitSettled(Bank.TRYING_LIMIT);
        return call;
    }

    private static void assertNoChangeWhileHeld(Bank bank, String held, String rule) {
        List<String> changes = bank.changesWhileHeld();
        if (!changes.isEmpty()) {
            throw new AssertionError("while " + held + " was under way (the test held it still at its first read or"
                    + " change of a balance), " + String.join(" and ", changes) + ": " + rule);
        }
    }

    private static void assertBalances(Bank bank, String expected, String after) {
        String balances = Bank.show(bank.balances());
        if (!balances.equals(expected)) {
            throw new AssertionError(after + ", the balances were " + balances + "; they should be " + expected);
        }
    }

    /** A teller call made by the test's own thread. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    /** A call that returns nothing. */
    @FunctionalInterface
    private interface VoidCall {
        void run() throws Exception;
    }

    private static void run(String what, VoidCall call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Makes {@code call}, which must succeed; "not implemented yet" is passed on as is.
     *
     * @throws AssertionError naming the call and what it threw
     */
    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (NotImplementedYet notYet) {
            throw notYet;
        } catch (Exception e) {
            throw new AssertionError(what + " threw " + e + changedTheList(e), e);
        }
    }

    /** What to say when the teller tried to change an unmodifiable list it was given. */
    private static String changedTheList(Exception e) {
        StackTraceElement[] stack = e.getStackTrace();
        if (e instanceof UnsupportedOperationException
                && stack.length > 0
                && stack[0].getClassName().startsWith("java.util.ImmutableCollections")) {
            return ": it tried to change the list it was given, which cannot be changed (List.of). An audit must"
                    + " leave its list as it is: to sort the accounts, sort a copy (new ArrayList<>(accounts)).";
        }
        return "";
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
        assertThat(to.balance())
                .as("a transfer of 1 to an empty account should leave 1 in it")
                .isEqualTo(1);
    }
}
