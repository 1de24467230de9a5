package dev.threadlab.locks.exercise;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import kotlin.Unit;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.strategy.LincheckFailure;
import org.jetbrains.kotlinx.lincheck.strategy.ManagedDeadlockFailure;
import org.jetbrains.kotlinx.lincheck.strategy.ManagedLivelockFailure;
import org.jetbrains.kotlinx.lincheck.strategy.ObstructionFreedomViolationFailure;
import org.jetbrains.kotlinx.lincheck.strategy.TimeoutFailure;
import org.jetbrains.kotlinx.lincheck.strategy.UnexpectedExceptionFailure;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * Three accounts and the teller being graded, as Lincheck's model checker sees them. A check runs
 * two operations in two threads and tries the interleavings of their steps: every lock taken or
 * released and every read or write of a balance is a point where it may switch threads. After
 * each interleaving it compares the results with the same two calls made one after the other
 * (linearizability), and runs {@link #noMoneyCreatedOrLostAndNoAccountOverdrawn()}.
 *
 * <p>Each check runs one fixed scenario (two named operations, one per thread), so what it
 * proves is stated by the scenario, and a failure always means the same broken rule.
 *
 * <p>Lincheck creates the model itself (public no-argument constructor), so the teller class to
 * grade is handed over in a static field: the specs run one at a time, never in parallel.
 */
public abstract class BankModel {

    /**
     * Interleavings explored per check. Measured with Lincheck 3.7 on the course's wrong tellers:
     * no locking and check-before-lock are caught within 10, locking each account separately
     * within 30 (not within 10). 50 leaves a margin while keeping a passing check around a second
     * on a busy 2-core machine (each interleaving runs real lock code under the model checker).
     */
    static final int INVOCATIONS = 50;

    /**
     * The timeout of a model-checked rule, in seconds: the course's default, longer than the rest
     * of the spec's, because each interleaving runs the teller's real lock code under the model
     * checker, and the first check in a JVM also instruments the classes. Measured on 2 cores
     * shared with other builds (load average 17 to 27): one check of a correct teller took 2 to 22 s
     * (locks of its own in a ConcurrentHashMap, or the JVM's first check, the slowest). Lincheck
     * finds a deadlock or an endless loop itself, long before this.
     */
    static final int TIMEOUT_S = 60;

    private static volatile Class<? extends Teller> graded;

    final Account a;
    final Account b;
    final Account c;
    final long total;
    final Teller teller;

    BankModel(long eachAccount) {
        a = new Account("account A", eachAccount);
        b = new Account("account B", eachAccount);
        c = new Account("account C", eachAccount);
        total = 3 * eachAccount;
        try {
            teller = graded.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + graded.getName()
                    + ": a teller needs a public no-argument constructor", e);
        }
    }

    /**
     * Model-checks {@code teller}'s class on {@code model}, running {@code first} and
     * {@code second} (operation names) at the same time.
     *
     * @param rule what broke, in one sentence, if Lincheck finds a bad interleaving
     * @throws AssertionError starting with {@code rule}, followed by Lincheck's report (the
     *                        results, the interleaving, the detailed trace)
     */
    static void check(Teller teller, Class<? extends BankModel> model, String first, String second, String rule) {
        check(teller, model, first, second, rule, INVOCATIONS);
    }

    static void check(Teller teller, Class<? extends BankModel> model, String first, String second, String rule,
            int invocations) {
        graded = teller.getClass();
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(0) // no random scenarios: only the one below
                .invocationsPerIteration(invocations)
                .addCustomScenario(scenario -> {
                    scenario.parallel(threads -> {
                        threads.thread(thread -> call(thread, model, first));
                        threads.thread(thread -> call(thread, model, second));
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                });
        try {
            options.check(model);
        } catch (LincheckAssertionError e) {
            throw new AssertionError(whatBroke(e, first, second, rule)
                    + "\n(Lincheck's model checker found this interleaving)\n" + e.getMessage(), e);
        }
    }

    /**
     * The rule, when Lincheck found wrong results or a broken invariant; otherwise what it did find
     * (a call that threw, calls that never finished), which is not that rule's business.
     */
    private static String whatBroke(LincheckAssertionError e, String first, String second, String rule) {
        LincheckFailure failure = e.getFailure$lincheck();
        if (failure instanceof UnexpectedExceptionFailure thrown) {
            return "in one interleaving of " + first + "() and " + second + "(), a call threw "
                    + thrown.getException() + ": a transfer throws only InsufficientFundsException (an overdraft)"
                    + " or IllegalArgumentException (a bad amount, the same account twice).";
        }
        if (failure instanceof ManagedDeadlockFailure || failure instanceof ManagedLivelockFailure
                || failure instanceof TimeoutFailure || failure instanceof ObstructionFreedomViolationFailure) {
            return "in one interleaving of " + first + "() and " + second + "(), the two calls never both finished:"
                    + " each waited for a lock that was never released (a deadlock, or a lock not released), or"
                    + " looped without end. Take the locks in increasing Account.id(), and release each in finally.";
        }
        return rule;
    }

    private static Unit call(DSLThreadScenario thread, Class<?> model, String operation) {
        Method method = Arrays.stream(model.getMethods())
                .filter(m -> m.getName().equals(operation) && m.isAnnotationPresent(Operation.class))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(model.getSimpleName() + " has no operation " + operation));
        thread.actor(ReflectJvmMapping.getKotlinFunction(method));
        return Unit.INSTANCE;
    }

    String transfer(Account from, Account to, int amount) {
        try {
            teller.transfer(from, to, amount);
            return "done";
        } catch (InsufficientFundsException e) {
            return "refused";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Lincheck runs this after every interleaving it explores, once both threads have finished. */
    @Validate
    public void noMoneyCreatedOrLostAndNoAccountOverdrawn() {
        long balanceA = a.balance();
        long balanceB = b.balance();
        long balanceC = c.balance();
        if (balanceA < 0) {
            throw new AssertionError("account A was overdrawn: its balance is " + balanceA);
        }
        if (balanceA + balanceB + balanceC != total) {
            throw new AssertionError("money was created or lost: the total is "
                    + (balanceA + balanceB + balanceC) + ", not " + total);
        }
    }

    /** Accounts of 1000; a transfer of 3 from A to B (never refused), and an audit. */
    public static class Transfers extends BankModel {
        public Transfers() {
            super(1_000);
        }

        @Operation
        public String threeFromAToB() {
            return transfer(a, b, 3);
        }

        @Operation
        public long audit() throws InterruptedException {
            return teller.audit(List.of(a, b, c));
        }
    }

    /** Accounts of 100; two transfers of 60 out of account A: only one can be paid. */
    public static class RacingWithdrawals extends BankModel {
        public RacingWithdrawals() {
            super(100);
        }

        @Operation
        public String sixtyFromAToB() {
            return transfer(a, b, 60);
        }

        @Operation
        public String sixtyFromAToC() {
            return transfer(a, c, 60);
        }
    }
}
