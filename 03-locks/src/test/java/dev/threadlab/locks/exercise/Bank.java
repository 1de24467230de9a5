package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.ThreadDumps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The accounts of one graded rule, and the calls it made on them. Its accounts can hold a call
 * still: {@link #holdStill} starts a transfer whose thread the test stops at its first
 * {@code withdraw()} or {@code deposit()}, that is, inside whatever locks the teller took for it
 * ({@link Account#lock()}, {@code synchronized}, locks of its own), until {@link #letGo()}. What
 * that transfer holds, the test now knows for certain, and it can see what else can still run.
 *
 * <p>One instance per rule; used from the test's thread.
 */
final class Bank implements AutoCloseable {

    /** How long a call, alone and held up by nothing, may take to reach a point the test waits for. */
    static final Duration ALONE_LIMIT = Duration.ofSeconds(5);

    /** How long a call may stay busy or in timed waits before it counts as still trying (see {@link TellerCall}). */
    static final Duration TRYING_LIMIT = Duration.ofSeconds(2);

    /** A transfer the rule made, to work out what the balances must be. */
    record Move(Account from, Account to, long amount) {}

    /**
     * One read ({@code change} false) or change of a balance, told by the account just before it
     * happens; {@code whileHeld}: while the test held a call still, before it let go.
     */
    record Access(Thread thread, Account account, boolean change, boolean whileHeld) {}

    private final Map<Account, Long> opening = new LinkedHashMap<>();
    private final List<TellerCall.BreakableLock> locks = new ArrayList<>();
    private final List<TellerCall> calls = new ArrayList<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private volatile Thread toHold;
    private volatile TellerCall heldCall;
    private volatile boolean holdAtRelock;
    private final CountDownLatch relocking = new CountDownLatch(1);
    private final CountDownLatch relockLetGo = new CountDownLatch(1);
    private final java.util.Set<TellerCall.BreakableLock> takenByTheHeldCall =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean holdAtReads;
    private volatile List<Account> heldAccounts = List.of();
    private final List<String> changesWhileHeld = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Access> accesses = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Opens an account named {@code name} ("account A") holding {@code balance}. */
    Account open(String name, long balance) {
        TellerCall.BreakableLock lock = ThreadDumps.name(new TellerCall.BreakableLock(name), name);
        lock.beforeTaking(this::beforeTaking);
        locks.add(lock);
        Account account = new Account(name, balance, lock, this::beforeAccess);
        ThreadDumps.name(account, name); // for tellers that use synchronized (account)
        opening.put(account, balance);
        return account;
    }

    /** Forgets accounts the rule opened and will not use (they are left out of balances and messages). */
    void discard(Account... accounts) {
        for (Account account : accounts) {
            opening.remove(account);
        }
    }

    /** "A" for "account A". */
    static String letter(Account account) {
        return account.name().startsWith("account ") ? account.name().substring("account ".length()) : account.name();
    }

    private void beforeAccess(Account account, boolean change) {
        boolean whileHeld = held.getCount() == 0 && letGo.getCount() > 0;
        accesses.add(new Access(Thread.currentThread(), account, change, whileHeld));
        if (Thread.currentThread() != toHold) {
            if (change && whileHeld && heldAccounts.contains(account)) {
                changesWhileHeld.add(Thread.currentThread().getName() + " changed account " + letter(account));
            }
            return;
        }
        if (held.getCount() == 0 || (!holdAtReads && !change)) {
            return;
        }
        held.countDown();
        try {
            letGo.await();
        } catch (InterruptedException e) {
            throw new TellerCall.BrokenByTheTest("the test to let go");
        }
    }

    private void beforeTaking(TellerCall.BreakableLock lock) {
        if (Thread.currentThread() != toHold) {
            return;
        }
        if (holdAtRelock
                && relocking.getCount() > 0
                && takenByTheHeldCall.contains(lock)
                && !lock.isHeldByCurrentThread()) {
            relocking.countDown();
            try {
                relockLetGo.await();
            } catch (InterruptedException e) {
                throw new TellerCall.BrokenByTheTest("the test to let go");
            }
        }
        takenByTheHeldCall.add(lock);
    }

    /**
     * Lets go of the call held still at its first access, and holds it again if it then tries to take
     * an account's lock that it took before and has released since (a check under one lock, then the
     * change under another: check-then-act); {@link #letGo()} lets it go from there.
     *
     * @return true if the call is held again at such a re-lock; false once it has finished without one
     *         (or has not got there within {@link #ALONE_LIMIT})
     */
    boolean letGoUntilItTakesAReleasedLockAgain() throws InterruptedException {
        holdAtRelock = true;
        letGo.countDown();
        long deadline = System.nanoTime() + ALONE_LIMIT.toNanos();
        while (!relocking.await(5, TimeUnit.MILLISECONDS)) {
            if (heldCall == null || heldCall.finished() || System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /** Remembers a call, so that {@link #close()} cleans it up. */
    TellerCall track(TellerCall call) {
        calls.add(call);
        return call;
    }

    /** Where {@link #holdStill} stops the call. */
    enum At {
        /** Its first {@code withdraw()} or {@code deposit()}: inside every lock a transfer takes. */
        FIRST_CHANGE("inside withdraw/deposit"),
        /** Its first {@code balance()}, {@code withdraw()} or {@code deposit()}: from there on, its accounts must be its own. */
        FIRST_ACCESS("at its first read or change of a balance");

        final String where;

        At(String where) {
            this.where = where;
        }
    }

    /** Starts {@code teller.transfer(from, to, amount)} and holds it still {@code at} (see {@link #holdStill(String, At, List, java.util.concurrent.Callable)}). */
    TellerCall holdStill(Teller teller, Account from, Account to, long amount, At at) throws InterruptedException {
        return holdStill("transfer " + letter(from) + " to " + letter(to), at, List.of(from, to), () -> {
            teller.transfer(from, to, amount);
            return null;
        });
    }

    /**
     * Starts {@code body} (one teller call, named {@code name}) in a thread of its own and waits until
     * the test holds it still {@code at}; from then until {@link #letGo()}, the test records every
     * change other calls make to {@code accounts} ({@link #changesWhileHeld()}).
     *
     * @throws RuntimeException  what the call threw, if it failed before getting there ("not
     *                           implemented yet", ...)
     * @throws AssertionError    if it returned without getting there, or did not get there within
     *                           {@link #ALONE_LIMIT}, alone
     */
    TellerCall holdStill(String name, At at, List<Account> accounts, java.util.concurrent.Callable<?> body)
            throws InterruptedException {
        holdAtReads = at == At.FIRST_ACCESS;
        heldAccounts = List.copyOf(accounts);
        TellerCall call = track(TellerCall.start(name + " (held still by the test " + at.where + ")", () -> {
            toHold = Thread.currentThread();
            return body.call();
        }));
        heldCall = call;
        long deadline = System.nanoTime() + ALONE_LIMIT.toNanos();
        while (!held.await(5, TimeUnit.MILLISECONDS)) {
            if (call.finished()) {
                rethrowUnchecked(call);
                throw new AssertionError(name + " returned without "
                        + (at == At.FIRST_CHANGE
                                ? "calling withdraw() or deposit(): a transfer must move the money"
                                        + " with Account.withdraw and Account.deposit"
                                : "reading or changing a balance (Account.balance, withdraw, deposit)"));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new dev.threadlab.common.testsupport.SolutionHung(name
                        + ", alone (no other call running), did not get to "
                        + (at == At.FIRST_CHANGE ? "withdraw() or deposit()" : "balance(), withdraw() or deposit()")
                        + " within " + ALONE_LIMIT.toSeconds() + " s.\n" + ThreadDumps.blockedThreadsReport());
            }
        }
        return call;
    }

    /**
     * @return what other calls changed in the held transfer's two accounts while the test held it
     *         ("transfer B to C changed account B"), each once, sorted (so the message is the same every run)
     */
    List<String> changesWhileHeld() {
        return changesWhileHeld.stream().distinct().sorted().toList();
    }

    /** @return every read and change of a balance in this bank so far, in the order they were told */
    List<Access> accesses() {
        return List.copyOf(accesses);
    }

    /** Lets the held transfer go on. */
    void letGo() {
        letGo.countDown();
        relockLetGo.countDown();
    }

    /**
     * Lets go of the held transfer and waits until every call has finished.
     *
     * @throws dev.threadlab.common.testsupport.SolutionHung ("hang: ...") with what the calls were doing, if one has not finished
     *                        within {@link #ALONE_LIMIT} of the test letting go
     */
    void letGoAndAwaitAll() throws InterruptedException {
        letGo();
        long deadline = System.nanoTime() + ALONE_LIMIT.toNanos();
        for (TellerCall call : calls) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!call.awaitFinished(Duration.ofMillis(left))) {
                throw new dev.threadlab.common.testsupport.SolutionHung(
                        call.name() + " did not finish within " + ALONE_LIMIT.toSeconds()
                                + " s of the test letting go of the transfer it held still (nothing else held it up).\n"
                                + TellerCall.whatTheyWereDoing(calls));
            }
        }
    }

    /**
     * @return each account's balance as it must be once {@code moves} (the transfers that returned
     *         normally) are done, by account
     */
    Map<Account, Long> expectedAfter(List<Move> moves) {
        Map<Account, Long> expected = new LinkedHashMap<>(opening);
        for (Move move : moves) {
            expected.merge(move.from(), -move.amount(), Long::sum);
            expected.merge(move.to(), move.amount(), Long::sum);
        }
        return expected;
    }

    /** @return each account's balance now, by account (call it once every call has finished) */
    @SuppressWarnings("GuardedBy") // every call has finished: no lock is needed, as the check cannot know
    Map<Account, Long> balances() {
        Map<Account, Long> now = new LinkedHashMap<>();
        opening.keySet().forEach(account -> now.put(account, account.balance()));
        return now;
    }

    /** "A 70, B 130" */
    static String show(Map<Account, Long> balances) {
        return String.join(
                ", ",
                balances.entrySet().stream()
                        .map(e -> letter(e.getKey()) + " " + e.getValue())
                        .toList());
    }

    /**
     * Checks that, after {@code what} (a call made by the test's thread, finished), a transfer between
     * {@code from} and {@code to} made by another thread can still run: nothing was left locked.
     *
     * @throws AssertionError naming {@code what} if the transfer waits for good, or is still trying
     *                        after {@link #TRYING_LIMIT}
     */
    void assertNothingLeftLockedAfter(String what, Teller teller, Account from, Account to)
            throws InterruptedException {
        assertCanRun(what, track(TellerCall.transfer(teller, from, to, 1)));
    }

    /** Like {@link #assertNothingLeftLockedAfter}, checking with an audit of {@code accounts} from another thread. */
    void assertNothingLeftLockedAfter(String what, Teller teller, List<Account> accounts) throws InterruptedException {
        assertCanRun(what, track(TellerCall.audit(teller, accounts)));
    }

    private void assertCanRun(String what, TellerCall check) throws InterruptedException {
        TellerCall.Fate fate = check.await(TRYING_LIMIT, List.of(check));
        if (fate == TellerCall.Fate.FINISHED) {
            rethrowUnchecked(check);
            return;
        }
        String seen = fate == TellerCall.Fate.WAITING_FOR_GOOD
                ? "waited for good (nothing else was running)"
                : "was still trying after " + TRYING_LIMIT.toSeconds() + " s (nothing else was running)";
        List<String> stillHeld = opening.keySet().stream()
                .filter(account -> account.lock() instanceof TellerCall.BreakableLock lock
                        && lock.owner() == Thread.currentThread())
                .map(account -> "account " + letter(account))
                .toList();
        throw new AssertionError("a lock was left held after " + what + ": then " + check.name()
                + ", in another thread, " + seen + "."
                + (stillHeld.isEmpty()
                        ? ""
                        : " The lock() of " + String.join(" and ", stillHeld)
                                + " is still held by the test's thread, which made that call.")
                + " Release every lock you take in finally, so that it is released also when you throw"
                + " (or use synchronized, which releases on every exit).\n"
                + TellerCall.whatTheyWereDoing(List.of(check)));
    }

    /** Passes on what a finished call threw, if unchecked ("not implemented yet", a wrong exception, ...). */
    static void rethrowUnchecked(TellerCall call) {
        Throwable failure = call.failure();
        if (failure instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (failure instanceof RuntimeException || failure instanceof Error) {
            throw new AssertionError(call.name() + " threw " + failure, failure);
        }
    }

    /**
     * Lets go of the held call and cleans up every call still running (interrupts, then waits a
     * little): a call stuck in an account's {@code lock()} is broken out of it.
     */
    @Override
    public void close() throws InterruptedException {
        letGo();
        locks.forEach(TellerCall.BreakableLock::breakWaiters);
        TellerCall.cleanUp(calls);
    }
}
