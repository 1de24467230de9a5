package dev.threadlab.locks.exercise;

import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Proves, for any lock a teller uses, that a call never waits for a smaller-id account while it
 * holds a larger-id one: the bank's lock order (see {@link Teller}), without which two calls can
 * deadlock. No luck and no sleeps: the test makes the dangerous moment happen and then looks.
 *
 * <p>Two accounts, B (opened first: the smaller {@link Account#id()}) and A. They are picked so that
 * every other order a teller might use disagrees with the id order on them: by name ("account A"
 * comes before "account B"), by {@link System#identityHashCode} (A's is the smaller: the test opens
 * pairs until it is), by argument or list order (each probe is run with both orders).
 * <ol>
 *   <li>The test holds a transfer of B to Z still inside its locks ({@link Bank#holdStill}): B is
 *       now locked, however the teller locks it.</li>
 *   <li>It starts the call under test (a transfer or an audit that needs A and B), which must now
 *       wait for B, and lets it get as far as it can ({@link TellerCall#awaitSettled}).</li>
 *   <li>It looks at what that call holds while it waits. For the locks the JVM can see (an
 *       account's {@code lock()}, {@code synchronized} on the account or its lock), directly: over
 *       {@link #LOOKS} looks ({@code ThreadMXBean}) at the waiting call's thread show whether it
 *       waits holding A, or holds A all the while it tries for B. Otherwise (locks of the teller's own) by a test: can a transfer
 *       out of A run meanwhile? It must, once a transfer between two other accounts has shown that
 *       this teller does not hold up everything (one lock for the whole bank is allowed).</li>
 *   <li>It lets go of B and checks that every call finished and did what it should: a call that
 *       found B locked must wait its turn or retry, not give up, and an audit must return the total
 *       of one moment. When it did not, the message says what the test saw the call do, never a
 *       guess: whether it finished while B was still locked, and which balances its thread read,
 *       before or after which changes by other calls ({@link Bank#accesses()}).</li>
 * </ol>
 */
final class LockOrderProbe {

    private final Teller teller;

    LockOrderProbe(Teller teller) {
        this.teller = teller;
    }

    /** The call under test, made on the probe's two accounts. */
    @FunctionalInterface
    interface Subject {
        TellerCall start(Teller teller, Account a, Account b);
    }

    /** A transfer from {@code from} to {@code to} of 30, where {@code from} and {@code to} name A or B. */
    static Subject transfer(String from, String to) {
        return (teller, a, b) -> TellerCall.transfer(teller, pick(from, a, b), pick(to, a, b), 30);
    }

    /** An audit of the two accounts, in the order given ("A", "B" or "B", "A"). */
    static Subject audit(String first, String second) {
        return (teller, a, b) -> TellerCall.audit(teller, List.of(pick(first, a, b), pick(second, a, b)));
    }

    private static Account pick(String letter, Account a, Account b) {
        return switch (letter) {
            case "A" -> a;
            case "B" -> b;
            default -> throw new IllegalArgumentException(letter);
        };
    }

    /**
     * Runs the probe described in the class comment with {@code subject} as the call under test.
     *
     * @throws AssertionError stating the bank's lock order, what the call held and waited for, and
     *                        the fix; or that it gave up (or failed) when it found B locked
     */
    void assertWaitsOnlyInIdOrder(Subject subject) throws InterruptedException {
        try (Bank bank = new Bank()) {
            Account b = null;
            Account a = null;
            while (a == null || System.identityHashCode(a) >= System.identityHashCode(b)) {
                if (a != null) {
                    bank.discard(a, b);
                }
                b = bank.open("account B", 100);
                a = bank.open("account A", 100);
            }
            Account z = bank.open("account Z", 100);
            Account x = bank.open("account X", 100);
            Account y = bank.open("account Y", 100);
            Account w = bank.open("account W", 100);
            List<Bank.Move> moves = new ArrayList<>();

            TellerCall held = bank.holdStill(teller, b, z, 10, Bank.At.FIRST_CHANGE);
            TellerCall call = bank.track(subject.start(teller, a, b));
            call.awaitSettled(Bank.TRYING_LIMIT);

            String violation = null;
            if (!call.finished()) {
                violation = whatTheLooksShow(call, a);
            }
            TellerCall unrelated = null;
            TellerCall outOfA = null;
            if (violation == null && !call.finished()) {
                unrelated = bank.track(TellerCall.transfer(teller, x, y, 1));
                TellerCall.Fate fate = unrelated.await(Bank.TRYING_LIMIT, List.of(call, unrelated));
                if (fate == TellerCall.Fate.FINISHED) { // the teller does not hold up everything: A must be free
                    outOfA = bank.track(TellerCall.transfer(teller, a, w, 1));
                    TellerCall.Fate outOfAFate = outOfA.await(Bank.TRYING_LIMIT, List.of(call, unrelated, outOfA));
                    if (outOfAFate != TellerCall.Fate.FINISHED) {
                        violation = call.name() + ", waiting for account B (another call had it locked), held on to"
                                + " account A: meanwhile " + outOfA.name() + " could not get A either ("
                                + (outOfAFate == TellerCall.Fate.WAITING_FOR_GOOD
                                        ? "it waited for good"
                                        : "it was still trying after " + Bank.TRYING_LIMIT.toSeconds() + " s")
                                + ").";
                    }
                }
            }
            if (violation != null) {
                throw new AssertionError("deadlock-prone: " + violation + " " + why(call, a, b) + "\n"
                        + TellerCall.whatTheyWereDoing(List.of(call, held)));
            }

            boolean finishedWhileBWasLocked = call.finished();
            bank.letGoAndAwaitAll();
            moves.add(new Bank.Move(b, z, 10));
            for (TellerCall helper : new TellerCall[] {unrelated, outOfA}) {
                if (helper != null) {
                    Bank.rethrowUnchecked(helper);
                }
            }
            if (unrelated != null) {
                moves.add(new Bank.Move(x, y, 1));
            }
            if (outOfA != null) {
                moves.add(new Bank.Move(a, w, 1));
            }
            checkTheOutcome(bank, call, a, b, moves, finishedWhileBWasLocked);
        }
    }

    /** How many times the test looks at the waiting call's thread (5 ms apart). */
    private static final int LOOKS = 20;

    /**
     * Looks at the waiting call's thread {@link #LOOKS} times.
     *
     * @return the violation seen, or null
     */
    private static String whatTheLooksShow(TellerCall call, Account a) throws InterruptedException {
        if (call.retried()) { // by construction: what it held from one try of a busy lock to the next
            return call.keptWhileRetrying() == a.lock()
                    ? call.name() + " kept account A's lock all the while it tried to get account B's (another"
                            + " call had B locked): it tried B again without having let go of A."
                    : null;
        }
        int looks = 0;
        int holdingA = 0;
        while (looks < LOOKS && !call.finished()) {
            ThreadInfo info = call.look();
            if (info == null) {
                break;
            }
            looks++;
            if (TellerCall.holds(info, a)) {
                holdingA++;
                Thread.State state = info.getThreadState();
                if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
                    return call.name() + " took account A's lock, then waited for " + waitingFor(info)
                            + ", still holding A's.";
                }
            }
            call.awaitFinished(Duration.ofMillis(5));
        }
        if (looks == LOOKS && holdingA == looks) {
            return call.name() + " kept account A's lock all the while it tried to get account B's (another call"
                    + " had B locked): it held A in all " + looks + " looks the test took at it.";
        }
        return null;
    }

    /** What the JVM says the call waits for, where it knows the owner: the held transfer. */
    private static String waitingFor(ThreadInfo info) {
        if (info.getLockOwnerName() != null && info.getLockOwnerName().startsWith("transfer B to Z")) {
            return "account B's (held by another call)";
        }
        return "account B's (another call had it locked)";
    }

    /** The rule and the fix, in the learner's terms. */
    private static String why(TellerCall call, Account a, Account b) {
        return "Account A's id (" + a.id() + ") is larger than B's (" + b.id() + "): another call that takes B's"
                + " lock first and then wants A's, as the bank's lock order says, would wait for A forever while "
                + call.name() + " waits for B: a deadlock. Take the locks in increasing Account.id(), whatever the"
                + " order of the arguments or of the list (not by name: two accounts can have the same name;"
                + " not by identity hash code: two can be equal); or use tryLock() and, when it fails, let go of"
                + " every lock you hold before trying again.";
    }

    /**
     * After the test let go: the call must have finished, without failing, and done its work. What
     * a message says the call did wrong is what the test saw it do: whether it finished while B was
     * still locked, which balances its thread read or changed, and when ({@link Bank#accesses()}).
     */
    private static void checkTheOutcome(
            Bank bank, TellerCall call, Account a, Account b, List<Bank.Move> moves, boolean finishedWhileBWasLocked) {
        Throwable failure = call.failure();
        if (failure != null) {
            if (failure instanceof dev.threadlab.common.exercise.NotImplementedYet notYet) {
                throw notYet;
            }
            throw new AssertionError(
                    finishedWhileBWasLocked
                            ? call.name() + " failed with " + failure + " after it found account B locked by"
                                    + " another call: a call that finds an account locked must wait for it (lock(),"
                                    + " synchronized) or retry until it gets it, not give up."
                            : call.name() + " failed with " + failure + " once the test had let go of account B,"
                                    + " which another call had locked: it must then do its work.",
                    failure);
        }
        List<Bank.Access> seen = bank.accesses();
        boolean aTransfer = call.name().startsWith("transfer");
        if (aTransfer) {
            boolean aToB = call.name().startsWith("transfer A");
            moves.add(aToB ? new Bank.Move(a, b, 30) : new Bank.Move(b, a, 30));
        }
        Map<Account, Long> expected = bank.expectedAfter(moves);
        Map<Account, Long> actual = bank.balances();
        if (!expected.equals(actual)) {
            boolean changedBoth = changed(seen, call, a) && changed(seen, call, b);
            throw new AssertionError("after every call had finished the balances were " + Bank.show(actual)
                    + "; they should be " + Bank.show(expected) + " ("
                    + (finishedWhileBWasLocked && !changedBoth
                            ? call.name() + " had found account B locked by another call: it must wait for it, or"
                                    + " retry, until it can move the money, not return without moving it)."
                            : call.name() + " must move the amount from one account to the other, holding both"
                                    + " accounts' locks)."));
        }
        if (!aTransfer) {
            long total = Objects.requireNonNull(actual.get(a)) + Objects.requireNonNull(actual.get(b));
            Object result = call.result();
            if (!Long.valueOf(total).equals(result)) {
                throw new AssertionError(call.name() + " returned " + result + "; it should return " + total
                        + ", the total of A and B once the transfer out of B it had to wait for was done: "
                        + whatTheAuditDid(seen, call, a, b));
            }
        }
    }

    /** Why an audit's total was wrong, from what its thread read and what other calls changed meanwhile. */
    private static String whatTheAuditDid(List<Bank.Access> seen, TellerCall audit, Account a, Account b) {
        Thread auditor = audit.thread();
        boolean readBWhileLocked =
                seen.stream().anyMatch(x -> x.thread() == auditor && x.account() == b && !x.change() && x.whileHeld());
        if (readBWhileLocked) {
            return "it read account B's balance while another call had B locked (the test held that call still"
                    + " inside its locks), so it read B without holding B's lock. Read each balance only while"
                    + " holding that account's lock, and hold every account's lock until the sum is read.";
        }
        boolean readB = seen.stream().anyMatch(x -> x.thread() == auditor && x.account() == b && !x.change());
        if (!readB) {
            return "it never read account B, which another call had locked: it gave up. An audit that finds an"
                    + " account locked must wait for it, or retry, until it has read every balance, not give up.";
        }
        int lastReadOfA = -1;
        for (int i = 0; i < seen.size(); i++) {
            Bank.Access x = seen.get(i);
            if (x.thread() == auditor && x.account() == a && !x.change()) {
                lastReadOfA = i;
            }
        }
        for (int i = lastReadOfA + 1; lastReadOfA >= 0 && i < seen.size(); i++) {
            Bank.Access x = seen.get(i);
            int then = i;
            boolean readBAfterwards = IntStream.range(then + 1, seen.size())
                    .mapToObj(seen::get)
                    .anyMatch(y -> y.thread() == auditor && y.account() == b && !y.change());
            if (x.thread() != auditor && x.account() == a && x.change() && readBAfterwards) {
                return "it read account A, and afterwards, before it read account B"
                        + (x.whileHeld() ? " (another call had B locked)," : ",")
                        + " \"" + x.thread().getName() + "\" changed A. So the audit did not hold A's lock until"
                        + " the sum was read: it let go of it (or never took it) before it had read every balance,"
                        + " and its total mixes two moments. Hold every account's lock, taken in increasing"
                        + " Account.id(), from before the first read until the sum is read.";
            }
        }
        return "its total was not the total of A and B at one moment. Hold every account's lock, taken in"
                + " increasing Account.id(), from before the first read until the sum is read.";
    }

    /** @return whether {@code call}'s thread changed {@code account}'s balance */
    private static boolean changed(List<Bank.Access> seen, TellerCall call, Account account) {
        return seen.stream().anyMatch(x -> x.thread() == call.thread() && x.account() == account && x.change());
    }
}
