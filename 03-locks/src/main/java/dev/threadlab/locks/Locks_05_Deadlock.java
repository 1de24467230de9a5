package dev.threadlab.locks;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.locks.harness.DeadlockCycle;
import dev.threadlab.locks.harness.LockMeeting;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.ThreadSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Two threads, two locks, taken in opposite orders: a deadlock. Then the JVM finds it, and two
 * fixes make it impossible.
 *
 * <p>Thread {@code transfer-A-to-B} locks account A, then B; {@code transfer-B-to-A} locks B,
 * then A. Each waits, after its first lock, until the other also holds one or waits for one (a
 * {@link LockMeeting}, so the deadlock happens every run, not by luck). {@code ThreadMXBean.findDeadlockedThreads()}
 * then finds the cycle, and the demo prints it with thread and lock names and breaks it by
 * interrupting one thread, the victim (they wait with {@code lockInterruptibly}).
 *
 * <p>Run: {@code ./mvnw -q -pl 03-locks -am process-test-classes -Pdemo -Ddemo.mainClass=dev.threadlab.locks.Locks_05_Deadlock}
 * (add {@code -Ddemo.args="--fix ordered"} or {@code "--fix trylock"}).
 *
 * <p>What to observe (2 cores, JDK 25.0.3), {@code --fix none}:
 * <pre>
 * [  29 ms] transfer-A-to-B holds account A, wants account B
 * [  67 ms] transfer-B-to-A holds account B, wants account A
 * [  85 ms] main       deadlock: ThreadMXBean.findDeadlockedThreads() reports a cycle of 2 threads
 * [  86 ms] main         "transfer-A-to-B" holds account A, waits for account B (java.util.concurrent.locks.ReentrantLock$NonfairSync@79b4d0f) held by "transfer-B-to-A"
 * [  86 ms] main         "transfer-B-to-A" holds account B, waits for account A (java.util.concurrent.locks.ReentrantLock$NonfairSync@7a5d012c) held by "transfer-A-to-B"
 * [  86 ms] main       breaking it: interrupting transfer-A-to-B (the victim), so the other can finish
 * [  87 ms] transfer-A-to-B interrupted while waiting for a lock: gave up, moved nothing
 * [  89 ms] transfer-B-to-A moved 50 from account B to account A
 * </pre>
 * With {@code --fix ordered} both threads lock A first (one global order: no cycle is possible);
 * with {@code --fix trylock} a thread that cannot get its second lock in time lets go of the
 * first, backs off for a random pause and tries again.
 */
@Command(
        name = "locks-05",
        mixinStandardHelpOptions = true,
        description = "Two threads lock two accounts in opposite orders; the deadlock is detected, then fixed.")
public final class Locks_05_Deadlock implements Callable<Integer> {

    /** How the two transfers take their locks. */
    public enum Fix {
        /** Each locks its own source account first: deadlock-prone. */
        NONE,
        /** Both lock the accounts in one global order (by name): no cycle, no deadlock. */
        ORDERED,
        /** Each uses tryLock with a timeout, and on failure releases, backs off and retries. */
        TRYLOCK
    }

    /** An account of the demo: a balance in cents, guarded by the account's own named lock. */
    @ThreadSafe
    static final class Account {
        final String name;
        final LockMeeting.NamedLock lock;

        @GuardedBy("lock")
        private long balance;

        Account(String name, long balance) {
            this.name = name;
            this.lock = new LockMeeting.NamedLock(name);
            this.balance = balance;
        }

        long balance() {
            lock.lock();
            try {
                return balance;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * How the run ended.
     *
     * @param cycle    the deadlock cycle, one line per thread; empty if there was none
     * @param attempts for each thread that finished its transfer, how many tries it took
     * @param balanceA account A's balance at the end (100 at the start; +50 -30 if both finished)
     * @param balanceB account B's balance at the end
     */
    public record Result(List<String> cycle, Map<String, Integer> attempts, long balanceA, long balanceB) {
        /** @return true if the JVM reported a deadlock */
        public boolean deadlocked() {
            return !cycle.isEmpty();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--fix", defaultValue = "none", description = "none, ordered or trylock (default ${DEFAULT-VALUE})")
    String fix;

    @Option(
            names = "--try-ms",
            defaultValue = "50",
            description =
                    "only with --fix trylock: how long to wait for the second lock, in ms (1-10000, default ${DEFAULT-VALUE})")
    long tryMs;

    @Override
    public Integer call() throws InterruptedException {
        List<String> fixes = Arrays.stream(Fix.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT))
                .toList();
        Cli.require(spec, fixes.contains(fix), "--fix must be one of %s, was '%s'", fixes, fix);
        Cli.require(spec, tryMs >= 1 && tryMs <= 10_000, "--try-ms must be between 1 and 10000, was %d", tryMs);
        Cli.require(
                spec,
                fix.equals("trylock") || !spec.commandLine().getParseResult().hasMatchedOption("--try-ms"),
                "--try-ms applies only to --fix trylock, was given with --fix %s",
                fix);
        run(
                Fix.valueOf(fix.toUpperCase(Locale.ROOT)),
                Duration.ofMillis(tryMs),
                Sleeper.real(),
                new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0; // finding the deadlock is what the demo is for
    }

    /** How long the demo watches the two threads before calling it a hang. */
    static final Duration WATCH_LIMIT = Duration.ofSeconds(20);

    /**
     * Runs the two opposite transfers (30 from A to B, 50 from B to A; both accounts start at 100)
     * with {@code fix}, detects a deadlock, and breaks it if there is one.
     *
     * @param tryWait with {@link Fix#TRYLOCK}: how long to wait for the second lock
     * @param backOff pauses a thread between two tries ({@link Fix#TRYLOCK}); tests pass an instant one
     * @throws IllegalStateException if the threads neither finish nor deadlock within 20 s
     * @throws InterruptedException  if interrupted while watching the threads
     */
    public static Result run(Fix fix, Duration tryWait, Sleeper backOff, Console console) throws InterruptedException {
        Account a = new Account("account A", 100);
        Account b = new Account("account B", 100);
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        LockMeeting meeting = new LockMeeting(Duration.ofSeconds(10), List.of(a.lock, b.lock));
        Thread aToB = Thread.ofPlatform()
                .name("transfer-A-to-B")
                .unstarted(() -> transfer(fix, a, b, 30, tryWait, backOff, meeting, console, attempts));
        Thread bToA = Thread.ofPlatform()
                .name("transfer-B-to-A")
                .unstarted(() -> transfer(fix, b, a, 50, tryWait, backOff, meeting, console, attempts));
        meeting.expect(aToB, bToA);
        aToB.start();
        bToA.start();

        long deadline = System.nanoTime() + WATCH_LIMIT.toNanos();
        List<String> cycle = List.of();
        while (aToB.isAlive() || bToA.isAlive()) {
            cycle = DeadlockCycle.find(a.lock, b.lock);
            if (!cycle.isEmpty()) {
                console.println("deadlock: ThreadMXBean.findDeadlockedThreads() reports a cycle of " + cycle.size()
                        + " threads");
                cycle.forEach(line -> console.println("  " + line));
                console.println(
                        "breaking it: interrupting " + aToB.getName() + " (the victim), so the other can finish");
                aToB.interrupt();
                break;
            }
            if (System.nanoTime() > deadline) {
                aToB.interrupt();
                bToA.interrupt();
                aToB.join(WATCH_LIMIT); // they wait interruptibly: give them the chance to end
                bToA.join(WATCH_LIMIT);
                throw new IllegalStateException("the transfers neither finished nor deadlocked within " + WATCH_LIMIT);
            }
            aToB.join(Duration.ofMillis(10)); // look again in 10 ms, or as soon as it ends
        }
        aToB.join();
        bToA.join();
        return new Result(cycle, Map.copyOf(attempts), a.balance(), b.balance());
    }

    private static void transfer(
            Fix fix,
            Account from,
            Account to,
            long amount,
            Duration tryWait,
            Sleeper backOff,
            LockMeeting meeting,
            Console console,
            Map<String, Integer> attempts) {
        meeting.started();
        try {
            int tries = switch (fix) {
                case NONE -> lockBoth(from, to, from, to, amount, meeting, console);
                case ORDERED ->
                    from.name.compareTo(to.name) < 0
                            ? lockBoth(from, to, from, to, amount, meeting, console)
                            : lockBoth(to, from, from, to, amount, meeting, console);
                case TRYLOCK -> tryLockBoth(from, to, amount, tryWait, backOff, meeting, console);
            };
            attempts.put(Thread.currentThread().getName(), tries);
            console.println("moved " + amount + " from " + from + " to " + to
                    + (fix == Fix.TRYLOCK ? " (attempt " + tries + ")" : ""));
        } catch (InterruptedException e) {
            console.println("interrupted while waiting for a lock: gave up, moved nothing");
        } finally {
            meeting.finished();
        }
    }

    /** Locks {@code first}, then {@code second}, then moves the money from {@code from} to {@code to}. */
    private static int lockBoth(
            Account first, Account second, Account from, Account to, long amount, LockMeeting meeting, Console console)
            throws InterruptedException {
        first.lock.lockInterruptibly();
        try {
            console.println("holds " + first + ", wants " + second);
            meeting.lockTaken();
            second.lock.lockInterruptibly(); // deadlock-prone with Fix.NONE: the other thread holds it and wants ours
            try {
                move(from, to, amount);
                return 1;
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
    }

    private static int tryLockBoth(
            Account from,
            Account to,
            long amount,
            Duration tryWait,
            Sleeper backOff,
            LockMeeting meeting,
            Console console)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (from.lock.tryLock(tryWait.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    console.println("holds " + from + ", wants " + to + " (attempt " + attempt + ")");
                    meeting.lockTaken();
                    if (to.lock.tryLock(tryWait.toNanos(), TimeUnit.NANOSECONDS)) {
                        try {
                            move(from, to, amount);
                            return attempt;
                        } finally {
                            to.lock.unlock();
                        }
                    }
                    console.println("no " + to + " within " + tryWait.toMillis() + " ms: releasing " + from
                            + " and backing off");
                } finally {
                    from.lock.unlock();
                }
            }
            backOff.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, 2 * tryWait.toMillis() + 2)));
        }
    }

    /** The caller holds both accounts' locks. */
    // Error Prone's GuardedBy cannot check a caller's locks here (one is taken with tryLock).
    @SuppressWarnings("GuardedBy")
    private static void move(Account from, Account to, long amount) {
        from.balance -= amount;
        to.balance += amount;
    }

    public static void main(String[] args) {
        Cli.exit(new Locks_05_Deadlock(), args);
    }
}
