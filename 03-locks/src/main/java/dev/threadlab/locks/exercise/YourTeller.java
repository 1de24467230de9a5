package dev.threadlab.locks.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.List;

/**
 * Your teller: replace each {@code throw} with your code (see {@link Teller} for the rules and
 * the README's Exercise section for the steps and hints). Grade it with
 * {@code ./mvnw -q -pl 03-locks -am verify -Plearn}.
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
