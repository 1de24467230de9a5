package dev.threadlab.locks.exercise;

import java.util.List;

/**
 * The exercise: a teller that moves money between {@link Account}s while many threads call it
 * at once. Write it in {@link YourTeller}; grade it with
 * {@code ./mvnw -q -pl 03-locks -am verify -Plearn}.
 *
 * <p>The rules the grading checks (each is a test in {@code TellerSpec}):
 * <ol>
 *   <li>Money is neither created nor lost: after any mix of concurrent transfers, the total of
 *       all balances is what it was.</li>
 *   <li>An auditor calling {@link #audit} while transfers run always sees that same total (never
 *       money that has left one account and not yet reached the other).</li>
 *   <li>An overdraft is refused with {@link InsufficientFundsException}, even when two transfers
 *       race to empty the same account; nothing moves and no lock stays held.</li>
 *   <li>Two transfers in opposite directions (A to B, B to A) never deadlock, and neither do a
 *       transfer and an audit, whatever the order of the audit's list.</li>
 * </ol>
 *
 * <p>Guard each balance with its account's {@link Account#lock()} (the grading watches those
 * locks to make opposite transfers meet). Implementations must be thread-safe and have a public
 * no-argument constructor.
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
     *                                    (only if you wait interruptibly)
     */
    void transfer(Account from, Account to, long amount) throws InterruptedException;

    /**
     * The auditor: the total of the balances of {@code accounts} (distinct accounts), as it was
     * at one instant, even while transfers run.
     *
     * @return the sum, in cents
     * @throws InterruptedException if the thread is interrupted while waiting for a lock
     */
    long audit(List<Account> accounts) throws InterruptedException;
}
