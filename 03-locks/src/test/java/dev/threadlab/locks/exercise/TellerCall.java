package dev.threadlab.locks.exercise;

import dev.threadlab.common.testsupport.ThreadDumps;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One call of the graded teller, run in a thread of its own (a daemon platform thread named after
 * the call, e.g. "transfer A to B"), and what became of it. The spec uses it wherever it must know
 * whether a call can go on, whatever lock the teller uses ({@link Account#lock()},
 * {@code synchronized}, locks of its own, tryLock loops), without luck and without sleeping:
 *
 * <ul>
 *   <li>{@link Fate#FINISHED}: it returned or threw.</li>
 *   <li>{@link Fate#WAITING_FOR_GOOD}: it is in an untimed wait ({@code lock()}, a monitor, a
 *       park) and so is every other call that is still running, continuously for {@link #QUIET}:
 *       nothing is running that could let it go on, so it never will (until the test lets go of a
 *       call it holds still, see {@link Bank}).</li>
 *   <li>{@link Fate#STILL_TRYING}: it is busy or in timed waits (a tryLock loop) and has not
 *       finished within the limit it was given; a call that nothing holds up finishes in
 *       microseconds, so the limits (a second or two) are thousands of times what it needs.</li>
 * </ul>
 *
 * <p>Thread-safety: the fields a call writes are volatile; everything else is used from the test's
 * thread only.
 */
final class TellerCall {

    /** What became of a call, as far as the test could tell. */
    enum Fate {
        FINISHED,
        WAITING_FOR_GOOD,
        STILL_TRYING
    }

    /** How long every running call must be seen in an untimed wait before it counts as stuck. */
    static final Duration QUIET = Duration.ofMillis(100);

    /** How often the calls' states are sampled. */
    private static final long SAMPLE_MS = 5;

    /** Thrown out of a spec account's {@code lock()} when the test interrupts a stuck call. */
    static final class BrokenByTheTest extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BrokenByTheTest(String lock) {
            super("interrupted by the test while waiting for " + lock + ", to clean up a stuck call");
        }
    }

    /**
     * The lock of every account the spec makes: a {@link ReentrantLock} with a name (for thread
     * dumps), that can say who holds it, and whose {@code lock()} the test can interrupt to clean up
     * a call stuck on it for good, once it has {@link #breakWaiters() broken} it. Until then its
     * {@code lock()} is {@code ReentrantLock}'s: it waits through an interrupt and returns with the
     * thread's interrupt status set (the rule on interrupted transfers relies on it).
     */
    static final class BreakableLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        private final String name;

        /** Set by the test's clean-up before it interrupts: {@code lock()} then gives up when interrupted. */
        private volatile boolean broken;

        /** Told before every attempt to take this lock (the Bank's hold at a re-lock, rule 9). */
        private volatile java.util.function.Consumer<BreakableLock> beforeTaking = lock -> {};

        BreakableLock(String name) {
            this.name = name;
        }

        void beforeTaking(java.util.function.Consumer<BreakableLock> hook) {
            beforeTaking = hook;
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            beforeTaking.accept(this);
            Trace.attempt(this);
            super.lockInterruptibly();
            Trace.took(this);
        }

        @Override
        public boolean tryLock() {
            beforeTaking.accept(this);
            Trace.attempt(this);
            return Trace.tried(this, super.tryLock());
        }

        @Override
        public boolean tryLock(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
            beforeTaking.accept(this);
            Trace.attempt(this);
            Trace trace = Trace.CURRENT.get();
            if (trace != null) {
                trace.inTimedTry = true;
            }
            try {
                return Trace.tried(this, super.tryLock(timeout, unit));
            } finally {
                if (trace != null) {
                    trace.timedTryEnded = System.nanoTime();
                    trace.inTimedTry = false;
                }
            }
        }

        @Override
        public void lock() {
            beforeTaking.accept(this);
            Trace.attempt(this);
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        super.lockInterruptibly();
                        Trace.took(this);
                        return;
                    } catch (InterruptedException e) {
                        if (broken) {
                            throw new BrokenByTheTest(name);
                        }
                        interrupted = true; // as ReentrantLock.lock(): wait on, and keep the interrupt
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void unlock() {
            super.unlock();
            Trace.released(this);
        }

        /** From now on, an interrupt ends a wait in {@code lock()} with {@link BrokenByTheTest} (the clean-up's). */
        void breakWaiters() {
            broken = true;
        }

        /** @return the thread holding this lock, or null */
        Thread owner() {
            return getOwner();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What a call's thread did with the accounts' locks ({@link BreakableLock}), told by the locks
     * themselves as it happens, so the test knows it by construction rather than by sampling: whether
     * it is inside a timed {@code tryLock} of a lock another call holds (it will come out of it by
     * itself, having failed), and whether it has come back to try a lock that another call held at
     * its last try as well (a retry: it has done what it can until that call lets go), and if so,
     * whether it kept a lock all the while (took it before the first try and still held it, never
     * released, at the next).
     *
     * <p>Thread-safety: {@link #held} and {@link #busyTries} are used by the call's thread only; the
     * rest is volatile, written by that thread and read by the test's.
     */
    static final class Trace {
        static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();
        private static final java.util.concurrent.atomic.AtomicLong TAKINGS =
                new java.util.concurrent.atomic.AtomicLong();

        /** Each lock the thread holds, with the number of the taking that got it. */
        private final java.util.Map<BreakableLock, Long> held = new java.util.HashMap<>();
        /** For each lock the thread tried while another thread held it: what it held at that try. */
        private final java.util.Map<BreakableLock, java.util.Map<BreakableLock, Long>> busyTries =
                new java.util.HashMap<>();

        volatile boolean inTimedTry;
        volatile long timedTryEnded;
        volatile BreakableLock keptWhileRetrying;
        volatile boolean retried;

        static void attempt(BreakableLock lock) {
            Trace trace = CURRENT.get();
            Thread owner = lock.owner();
            if (trace == null || owner == null || owner == Thread.currentThread()) {
                return;
            }
            java.util.Map<BreakableLock, Long> now = java.util.Map.copyOf(trace.held);
            java.util.Map<BreakableLock, Long> before = trace.busyTries.put(lock, now);
            if (before != null) {
                before.forEach((kept, taking) -> {
                    if (taking.equals(now.get(kept))) {
                        trace.keptWhileRetrying = kept;
                    }
                });
                trace.retried = true;
            }
        }

        static boolean tried(BreakableLock lock, boolean taken) {
            if (taken) {
                took(lock);
            }
            return taken;
        }

        static void took(BreakableLock lock) {
            Trace trace = CURRENT.get();
            if (trace != null && lock.getHoldCount() == 1) {
                trace.held.put(lock, TAKINGS.incrementAndGet());
            }
        }

        static void released(BreakableLock lock) {
            Trace trace = CURRENT.get();
            if (trace != null && !lock.isHeldByCurrentThread()) {
                trace.held.remove(lock);
            }
        }
    }

    private final Trace trace = new Trace();

    private final String name;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Object result;
    private volatile Throwable failure;

    private TellerCall(String name, Callable<?> body) {
        this.name = name;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            Trace.CURRENT.set(trace);
            try {
                result = body.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.countDown();
            }
        });
    }

    /** Starts {@code body} in a new thread named {@code name}. */
    static TellerCall start(String name, Callable<?> body) {
        TellerCall call = new TellerCall(name, body);
        call.thread.start();
        return call;
    }

    /** Starts {@code teller.transfer(from, to, amount)}, named "transfer A to B" from the accounts' names. */
    static TellerCall transfer(Teller teller, Account from, Account to, long amount) {
        return start("transfer " + Bank.letter(from) + " to " + Bank.letter(to), () -> {
            teller.transfer(from, to, amount);
            return null;
        });
    }

    /** Starts {@code teller.audit(accounts)}, named "audit of A, B". */
    static TellerCall audit(Teller teller, List<Account> accounts) {
        return start(
                "audit of "
                        + String.join(", ", accounts.stream().map(Bank::letter).toList()),
                () -> teller.audit(accounts));
    }

    String name() {
        return name;
    }

    Thread thread() {
        return thread;
    }

    boolean finished() {
        return done.getCount() == 0;
    }

    /** @return what the call threw, or null (read it once it has finished) */
    Throwable failure() {
        return failure;
    }

    /** @return what the call returned (null for a transfer; read it once it has finished) */
    Object result() {
        return result;
    }

    /**
     * Waits until this call finishes, or is stuck for good beside {@code others}, or {@code limit}
     * has passed (see the class comment).
     */
    Fate await(Duration limit, Collection<TellerCall> others) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long quietSince = -1;
        while (true) {
            if (done.await(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
                return Fate.FINISHED;
            }
            long now = System.nanoTime();
            boolean quiet = inUntimedWait(thread)
                    && others.stream()
                            .allMatch(other -> other == this || other.finished() || inUntimedWait(other.thread));
            if (!quiet) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = now;
            } else if (now - quietSince >= QUIET.toNanos()) {
                return Fate.WAITING_FOR_GOOD;
            }
            if (now - deadline >= 0) {
                return Fate.STILL_TRYING;
            }
        }
    }

    /**
     * Waits until this call has done what it can while others hold it up: it has finished; or it has
     * come back to try again an account's lock that another call held at its last try too (a retry
     * loop: it can do no more until that call lets go); or it has been seen waiting (not in a timed
     * {@code tryLock} of an account's lock) in as many samples as {@link #QUIET} holds; or
     * {@code limit} has passed with it busy (a loop that never waits and never tries an account's
     * lock again). A timed {@code tryLock} of an account's lock that another call holds is waited
     * out, however long its timeout: it ends by itself, failed (the other call holds the lock until
     * the test lets go, after this returns), and what the call does next decides; the limit counts
     * from its end. So whether such a call finds the lock busy never depends on time.
     */
    void awaitSettled(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long waitingSamples = 0;
        while (!done.await(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
            if (trace.retried) {
                return;
            }
            if (trace.inTimedTry) {
                waitingSamples = 0;
                continue;
            }
            long tryEnded = trace.timedTryEnded;
            if (tryEnded != 0 && tryEnded + limit.toNanos() - deadline > 0) {
                deadline = tryEnded + limit.toNanos();
            }
            if (thread.getState() != Thread.State.RUNNABLE && ++waitingSamples * SAMPLE_MS >= QUIET.toMillis()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                return;
            }
        }
    }

    /** @return whether the call has tried an account's lock again that another call held at its last try too */
    boolean retried() {
        return trace.retried;
    }

    /** @return the account lock the call held, never released, from one try of a busy lock to the next; or null */
    BreakableLock keptWhileRetrying() {
        return trace.keptWhileRetrying;
    }

    private static boolean inUntimedWait(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.BLOCKED;
    }

    /** Waits until the call has finished, at most {@code limit}; @return whether it has */
    boolean awaitFinished(Duration limit) throws InterruptedException {
        return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One consistent look at the call's thread (state, what it waits on, what it holds).
     *
     * @return null if the thread has ended
     */
    ThreadInfo look() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getThreadInfo(new long[] {thread.threadId()}, true, true)[0];
    }

    /** @return true if {@code info} lists {@code account}'s lock, its monitor or its lock's monitor among what it holds */
    static boolean holds(ThreadInfo info, Account account) {
        List<Object> guards = guardsOf(account);
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            if (guards.stream().anyMatch(guard -> same(monitor, guard))) {
                return true;
            }
        }
        for (LockInfo sync : info.getLockedSynchronizers()) {
            if (guards.stream().anyMatch(guard -> same(sync, guard))) {
                return true;
            }
        }
        return false;
    }

    /** The objects whose monitor or ownership means "holds this account": the account, its lock, the lock's sync. */
    private static List<Object> guardsOf(Account account) {
        List<Object> guards = new ArrayList<>(List.of(account, account.lock()));
        Object sync = syncOf(account.lock());
        if (sync != null) {
            guards.add(sync);
        }
        return guards;
    }

    private static boolean same(LockInfo lock, Object object) {
        return lock.getIdentityHashCode() == System.identityHashCode(object)
                && lock.getClassName().equals(object.getClass().getName());
    }

    /** The AQS object a ReentrantLock's owner is recorded in (the test JVMs open the package). */
    private static Object syncOf(ReentrantLock lock) {
        try {
            var field = ReentrantLock.class.getDeclaredField("sync");
            field.setAccessible(true);
            return field.get(lock);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * One line per call still running: {@code "transfer A to B" BLOCKED on ... (account B) owned by
     * "..." at YourTeller.transfer(YourTeller.java:21)}, then what it holds, if the JVM can tell.
     */
    static String whatTheyWereDoing(List<TellerCall> calls) {
        StringBuilder out = new StringBuilder("What the calls were doing:\n");
        for (TellerCall call : calls) {
            if (call.finished()) {
                out.append("  \"").append(call.name).append("\" had finished\n");
                continue;
            }
            out.append("  ").append(ThreadDumps.describe(call.thread)).append('\n');
        }
        return out.toString();
    }

    /** Interrupts every call still running and waits a little for each to end (one stuck on a monitor may not). */
    static void cleanUp(List<TellerCall> calls) throws InterruptedException {
        for (TellerCall call : calls) {
            call.thread.interrupt();
        }
        for (TellerCall call : calls) {
            call.thread.join(1_000);
        }
    }
}
