package dev.threadlab.locks.exercise;

import java.util.List;

/**
 * Exercise 03.2: a teller that moves money between {@link Account}s while many threads call it
 * at once. Write it in {@link YourTeller}; grade it with {@code ./threadlab check 03.2}; take the
 * hints one at a time with {@code ./threadlab hint 03.2}.
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
 * <p>The rules the grading checks (each a test of {@code TellerSpec}, in this order):
 * <ol>
 *   <li><b>A transfer moves the amount from one account to the other.</b></li>
 *   <li><b>A transfer of nothing or to the same account is rejected.</b> An amount of 0 or less, or
 *       a transfer from an account to itself, throws {@link IllegalArgumentException}, and nothing
 *       moves.</li>
 *   <li><b>An overdraft is refused with a clear exception and nothing moves.</b> When the sending
 *       account holds less than the amount, throw {@link InsufficientFundsException}, whose
 *       message is {@code "account A has 100, cannot send 150"}.</li>
 *   <li><b>The whole balance can be moved.</b> 100 out of 100, leaving 0, is not an
 *       overdraft.</li>
 *   <li><b>A refused transfer leaves both accounts unlocked.</b> No call leaves a lock held, also
 *       when it throws, so another thread can still use both accounts. (Rules 1, 2 and 6 check the
 *       same after a transfer, a rejected one and an audit.)</li>
 *   <li><b>The auditor adds up every account.</b> The audit returns the total of the accounts it
 *       is given, and leaves the list as it is (it may be unmodifiable, as {@code List.of(...)}
 *       is: sort a copy).</li>
 *   <li><b>A transfer is one step for every other call.</b> While a transfer of A to B is under
 *       way (from its first read of a balance to its last change), no other call changes A or B;
 *       they wait.</li>
 *   <li><b>An audit sees one instant, even while transfers run.</b> While it is under way (from
 *       its first read to its last), no transfer changes its accounts, so it never sees money that
 *       has left one account and not yet reached the other. Hold every account's lock until the
 *       sum is read.</li>
 *   <li><b>Two racing transfers cannot overdraw an account.</b> Of two transfers racing to empty
 *       one account, the second waits for the first, then is refused. Check the balance and
 *       withdraw under the same lock, held from the check to the change: a transfer that checks
 *       under the account's lock, lets go of it, and takes it again to move the money is held by
 *       the grading at that second lock while the other transfer runs.</li>
 *   <li><b>Opposite transfers cannot deadlock.</b> Transfers keep the bank's lock order in either
 *       direction (A to B, B to A). A transfer that finds an account locked waits for it (or
 *       retries) until it can move the money: it does not give up, return without moving it, or
 *       throw (unless its thread is interrupted: rule 12).</li>
 *   <li><b>An audit cannot deadlock with a transfer.</b> Audits keep the bank's lock order too,
 *       whatever the order of their list. An audit that finds an account locked waits for it (or
 *       retries), and returns the total of one instant (rule 8) once it has read every
 *       account.</li>
 *   <li><b>An interrupted transfer moves the money or throws InterruptedException.</b> When the
 *       thread of a transfer is interrupted while the transfer waits for a lock, the transfer
 *       either throws {@link InterruptedException}, itself (not wrapped), having moved nothing
 *       ({@code lockInterruptibly()} throws it: let it out), or waits on and moves the money,
 *       returning with the thread's interrupt status still set ({@code lock()} and
 *       {@code synchronized} cannot be interrupted, and leave the status set). It never returns as
 *       if done without moving the money (also not after restoring the status: the caller cannot
 *       tell), and never clears the status by catching the exception and going on. The test
 *       interrupts a transfer while another call, held still by the test, has a lock it
 *       needs.</li>
 * </ol>
 * The concurrent rules (7 to 12) are checked by holding one call still at its first read or
 * change of a balance (the test stops it inside {@code balance()}, {@code withdraw()} or
 * {@code deposit()}, so it holds whatever locks you took for it, whatever kind they are) and
 * seeing what other calls change meanwhile; for the lock order, what a call that needs A and B
 * holds while it waits for B, which the held call has locked. The test holds that call until the
 * other has given up, or is seen waiting, or comes back to try B again: a {@code tryLock} with a
 * timeout always finds B locked, since the test waits its timeout out (keep it short: the grading
 * waits with it).
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
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
