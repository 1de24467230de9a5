package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.List;

/**
 * YOUR SOLUTION GOES HERE: exercise 03.2 (the rules are in {@link Teller}'s javadoc; replace each
 * {@code throw} with your code).
 *
 * <p>Grade it with {@code ./threadlab check 03.2}, or {@code ./mvnw -q -pl 03-locks -am verify -Plearn};
 * take the hints one at a time with {@code ./threadlab hint 03.2}.
 */
public final class YourTeller implements Teller {

    @Override
    public void transfer(Account from, Account to, long amount) throws InterruptedException {
        throw new NotImplementedYet("move amount from one account to the other holding both accounts' locks,"
                + " taken in one global order (Account.id()), and refuse an overdraft");
    }

    @Override
    public long audit(List<Account> accounts) throws InterruptedException {
        throw new NotImplementedYet("sum the balances while holding every account's lock, taken in the same order");
    }
}
