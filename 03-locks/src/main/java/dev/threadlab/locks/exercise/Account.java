package dev.threadlab.locks.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * A bank account for the exercise (given; you do not edit it): a name, a balance in whole cents,
 * and the lock that guards the balance. The {@link Teller} you write decides when to take which
 * account's lock; this class does not lock anything itself.
 *
 * <p><b>The rule:</b> read or change {@link #balance()} only while holding the lock that guards
 * this account: {@link #lock()} is there for that ({@code synchronized (account)} or a lock of your
 * own work too, if every call uses the same one; see {@link Teller}). The class does not enforce it
 * (a teller that breaks it is exactly what the grading catches: lost money, or an auditor that
 * sees money in flight).
 *
 * <p><b>A global order:</b> every account gets an {@link #id()} that no other account has, in
 * creation order. The bank takes locks in increasing id: names can repeat and identity hash codes
 * can collide, ids cannot.
 *
 * <p><b>Out of scope: overflow.</b> Balances are plain {@code long} cents and nothing checks
 * for overflow: a deposit that takes a balance past {@link Long#MAX_VALUE}, or an audit whose
 * sum does, wraps around. The exercise is about locking, not arithmetic; its accounts hold
 * amounts far below that limit (about 92 quadrillion dollars).
 *
 * <p>Thread-safety: {@link #id()}, {@link #name()} and {@link #lock()} are immutable and safe
 * from any thread; {@link #balance()}, {@link #deposit(long)} and {@link #withdraw(long)} are
 * safe only under the account's lock.
 */
@ThreadSafe
public final class Account {

    private static final AtomicLong NEXT_ID = new AtomicLong();

    /**
     * Told, in the calling thread, just before {@link #balance()} reads the balance ({@code change}
     * false) and before {@link #deposit} or {@link #withdraw} changes it (true). The grading uses it
     * to hold a call still at such a point, inside whatever locks the teller took, and see what else
     * can run meanwhile. An account made with a public constructor has none (null).
     */
    @FunctionalInterface
    interface AccessWatcher {
        void beforeAccess(Account account, boolean change);
    }

    private final long id = NEXT_ID.getAndIncrement();
    private final String name;
    private final ReentrantLock lock;
    private final AccessWatcher watcher; // null: nobody watches

    @GuardedBy("lock")
    private long balance;

    /**
     * @param name           shown in messages and thread dumps, e.g. {@code "account A"}
     * @param openingBalance cents, at least 0
     * @throws IllegalArgumentException if the name is blank or the opening balance negative
     */
    public Account(String name, long openingBalance) {
        this(name, openingBalance, new ReentrantLock());
    }

    /**
     * An account guarded by the given lock (the grading passes locks that it can watch).
     *
     * @throws IllegalArgumentException if the name is blank or the opening balance negative
     * @throws NullPointerException     if {@code lock} is null
     */
    public Account(String name, long openingBalance, ReentrantLock lock) {
        this(name, openingBalance, lock, null);
    }

    /** An account whose reads and changes {@code watcher} hears of first, if not null (the grading's; package-private). */
    Account(String name, long openingBalance, ReentrantLock lock, AccessWatcher watcher) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an account needs a name");
        }
        if (openingBalance < 0) {
            throw new IllegalArgumentException(name + ": opening balance must be at least 0, was " + openingBalance);
        }
        this.name = name;
        this.lock = Objects.requireNonNull(lock, "lock");
        this.watcher = watcher;
        this.balance = openingBalance;
    }

    /** @return this account's unique number; a smaller id means created earlier */
    public long id() {
        return id;
    }

    /** @return the account's name, e.g. {@code "account A"} */
    public String name() {
        return name;
    }

    /** @return the lock that guards {@link #balance()}; hold it to read or change the balance */
    public ReentrantLock lock() {
        return lock;
    }

    /** @return the balance in cents; call it only while holding {@link #lock()} */
    @GuardedBy("lock")
    public long balance() {
        if (watcher != null) {
            watcher.beforeAccess(this, false);
        }
        return balance;
    }

    /**
     * Adds {@code amount} cents: read, add, write (three steps; hold {@link #lock()}).
     *
     * @throws IllegalArgumentException if {@code amount <= 0}
     */
    @GuardedBy("lock")
    public void deposit(long amount) {
        requirePositive(amount);
        if (watcher != null) {
            watcher.beforeAccess(this, true);
        }
        balance = balance + amount;
    }

    /**
     * Takes {@code amount} cents out: read, subtract, write (hold {@link #lock()}). It does not
     * check for an overdraft: refusing one is the teller's job.
     *
     * @throws IllegalArgumentException if {@code amount <= 0}
     */
    @GuardedBy("lock")
    public void withdraw(long amount) {
        requirePositive(amount);
        if (watcher != null) {
            watcher.beforeAccess(this, true);
        }
        balance = balance - amount;
    }

    private void requirePositive(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException(name + ": amount must be positive, was " + amount);
        }
    }

    @Override
    public String toString() {
        return name + " (#" + id + ")";
    }
}
