package dev.threadlab.locks.exercise;

import java.util.List;

/**
 * The exercise: a teller that moves money between {@link Account}s while many threads call it
 * at once. Write it in {@link YourTeller}; grade it with
 * {@code ./mvnw -q -pl 03-locks -am verify -Plearn}.
 *
 * <p><b>Locks.</b> Guard each account with a lock, and read or change a balance only while holding
 * that account's lock. {@link Account#lock()} is there for this; {@code synchronized (account)},
 * or locks of your own (a {@code ReentrantLock} or {@code StampedLock} per account, or one lock
 * for the whole bank) work as well, provided every call of your teller guards an account with the
 * same lock. One lock for the whole bank is correct (and slow: unrelated transfers wait for each
 * other).
 *
 * <p><b>The bank's lock order.</b> Whenever a call holds one account's lock while it waits for
 * another's, the one it holds has the smaller {@link Account#id()}: take the locks in increasing
 * id. Ids are the bank's order because they never tie: two accounts can have the same name, and
 * two can have the same identity hash code, so neither is an order. Taking the locks in any other
 * order (argument order, list order, by name, by hash code) can deadlock with a call that follows
 * the bank's. The one way to take them in another order: {@code tryLock()}, and when it fails,
 * let go of every lock you hold before you try again.
 *
 * <p>The rules the grading checks (each a test in {@code TellerSpec}, in this order):
 * <ol>
 *   <li>A transfer moves the amount from one account to the other.</li>
 *   <li>A transfer of 0 or less, or from an account to itself, is rejected with
 *       {@link IllegalArgumentException}, and nothing moves.</li>
 *   <li>An overdraft (the sending account holds less than the amount) is refused with
 *       {@link InsufficientFundsException}, whose message is
 *       {@code "account A has 100, cannot send 150"}, and nothing moves.</li>
 *   <li>Moving the whole balance (100 out of 100, leaving 0) is not an overdraft.</li>
 *   <li>No call leaves a lock held, also when it throws: after a refused transfer, another thread
 *       can still use both accounts (and likewise after a transfer, a rejected one, an audit).</li>
 *   <li>The audit returns the total of the accounts it is given, and leaves the list as it is (it
 *       may be unmodifiable, as {@code List.of(...)} is: sort a copy).</li>
 *   <li>A transfer is one step for every other call: while a transfer of A to B is under way
 *       (from its first read of a balance to its last change), no other call changes A or B; they
 *       wait.</li>
 *   <li>An audit is one instant for every other call: while it is under way (from its first read
 *       to its last), no transfer changes its accounts; so it never sees money that has left one
 *       account and not yet reached the other.</li>
 *   <li>Two transfers racing to empty one account cannot both be paid: the second waits for the
 *       first, then is refused.</li>
 * <li>Transfers keep the bank's lock order, in either direction (A to B, B to A), and</li>
 *   <li>so do audits, whatever the order of their list.</li>
 * </ol>
 * The concurrent rules (7 to 11) are checked by holding one call still at its first read or
 * change of a balance (the test stops it inside {@code balance()}, {@code withdraw()} or
 * {@code deposit()}, so it holds whatever locks you took for it, whatever kind they are) and
 * seeing what other calls change meanwhile; for the lock order, what a call that needs A and B
 * holds while it waits for B, which the held call has locked. In those two rules also: a call that finds
 * an account locked waits for it (or retries) until it can do its work; it does not give up,
 * return without moving the money, or throw.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface Teller {

    /**
     * Moves {@code amount} cents from {@code from} to {@code to}, as one step for every other
     * thread that follows the locking rule.
     *
     * @throws InsufficientFundsException if {@code from} holds less than {@code amount} (moving
     *                                    the whole balance, leaving 0, is not an overdraft)
     * @throws IllegalArgumentException   if {@code amount <= 0} or {@code from == to}
     * @throws InterruptedException       if the thread is interrupted while waiting for a lock
     *                                    (only if you wait interruptibly); nothing moves
     */
    void transfer(Account from, Account to, long amount) throws InterruptedException;

    /**
     * The auditor: the total of the balances of {@code accounts} (distinct accounts, in any
     * order), as it was at one instant, even while transfers run. Leaves {@code accounts} as it is.
     *
     * @return the sum, in cents
     * @throws InterruptedException if the thread is interrupted while waiting for a lock
     */
    long audit(List<Account> accounts) throws InterruptedException;
}
