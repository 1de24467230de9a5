package dev.threadlab.locks.solution;

import dev.threadlab.locks.exercise.Account;
import dev.threadlab.locks.exercise.InsufficientFundsException;
import dev.threadlab.locks.exercise.Teller;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference teller (spoilers). Every operation takes the locks of the accounts it touches,
 * all of them before reading or writing any balance, always in increasing {@link Account#id()}:
 * <ul>
 *   <li>holding both locks, a transfer is one step: no other teller sees money in flight, and the
 *       overdraft check and the withdrawal cannot be split by another withdrawal;</li>
 *   <li>one global order means no cycle of threads each holding a lock the next one wants, so no
 *       deadlock (Coffman et al., "System Deadlocks", 1971: break the circular wait);</li>
 *   <li>{@code unlock()} in {@code finally}, so a refused transfer releases what it took.</li>
 * </ul>
 * Stateless, so thread-safe: all shared state is in the accounts, under their locks.
 */
@ThreadSafe
public final class ReferenceTeller implements Teller {

    private static final Comparator<Account> GLOBAL_ORDER = Comparator.comparingLong(Account::id);

    // Both locks are held, taken through first/second in id order: aliases that Error Prone's
    // GuardedBy cannot follow back to from/to. TellerSpec checks at run time that they are held.
    @SuppressWarnings("GuardedBy")
    @Override
    public void transfer(Account from, Account to, long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
        if (from == to) {
            throw new IllegalArgumentException("cannot transfer from " + from.name() + " to itself");
        }
        Account first = GLOBAL_ORDER.compare(from, to) < 0 ? from : to;
        Account second = first == from ? to : from;
        first.lock().lock();
        try {
            second.lock().lock();
            try {
                long balance = from.balance();
                if (balance < amount) {
                    throw new InsufficientFundsException(from, balance, amount);
                }
                from.withdraw(amount);
                to.deposit(amount);
            } finally {
                second.lock().unlock();
            }
        } finally {
            first.lock().unlock();
        }
    }

    // Every account is locked in the loop above the reads: GuardedBy cannot follow a loop.
    @SuppressWarnings("GuardedBy")
    @Override
    public long audit(List<Account> accounts) {
        List<Account> ordered = new ArrayList<>(accounts);
        ordered.sort(GLOBAL_ORDER);
        int locked = 0;
        try {
            for (Account account : ordered) {
                account.lock().lock();
                locked++;
            }
            long total = 0;
            for (Account account : ordered) {
                total += account.balance();
            }
            return total;
        } finally {
            for (int i = locked - 1; i >= 0; i--) {
                ordered.get(i).lock().unlock();
            }
        }
    }
}
