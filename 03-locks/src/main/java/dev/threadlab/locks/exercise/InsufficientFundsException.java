package dev.threadlab.locks.exercise;

/**
 * Thrown by {@link Teller#transfer} to refuse an overdraft: the sending account has less than the
 * amount. Given; throw it, do not edit it. Nothing has moved when it is thrown, and the teller
 * holds no lock any more.
 *
 * <p>Its message says which account, what it had and what was asked:
 * {@code "account A has 100, cannot send 150"}.
 */
public final class InsufficientFundsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String account;
    private final long balance;
    private final long amount;

    /**
     * @param from    the account that would be overdrawn
     * @param balance what it holds, in cents, read while holding its lock
     * @param amount  what the transfer asked for, in cents
     */
    public InsufficientFundsException(Account from, long balance, long amount) {
        super(from.name() + " has " + balance + ", cannot send " + amount);
        this.account = from.name();
        this.balance = balance;
        this.amount = amount;
    }

    /** @return the name of the account that would have been overdrawn */
    public String account() {
        return account;
    }

    /** @return what that account held, in cents */
    public long balance() {
        return balance;
    }

    /** @return what the refused transfer asked for, in cents */
    public long amount() {
        return amount;
    }
}
