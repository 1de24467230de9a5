package dev.threadlab.common.testsupport;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * What a timed wait means in a grading that holds a task until the solution waits for it, decided
 * by construction, never by how long the wait lasted (01.1's, 01.2's, 02.2's and 02.3's gradings).
 * The solution's class, and every class beside it that the grading loads again ({@link #reloaded}),
 * is loaded with each timed wait it makes routed here: {@code Thread.join(millis)},
 * {@code join(millis, nanos)}, {@code join(Duration)}, {@code TimeUnit.timedJoin},
 * {@code Future.get(timeout, unit)}, {@code ExecutorService.awaitTermination(timeout, unit)} and
 * {@code CountDownLatch.await(timeout, unit)}.
 *
 * <ul>
 *   <li>On a thread, future, pool or latch that has already ended, or that no {@link Hold} of the
 *       grading holds, the call is made as written.</li>
 *   <li>The first {@link #TRIES}{@code - 1} timed waits of a thread on a held target <b>run out at
 *       once</b>, as they may whatever their length: {@code join(ms)} returns with the thread still
 *       alive, {@code join(Duration)}, {@code awaitTermination} and a latch's {@code await} return
 *       false, {@code get} throws {@code TimeoutException}. A caller that goes on from there has
 *       given up on the task, which the grader still holds: it is rejected every run, with one
 *       message, whatever the timeout. A loop that gives up after fewer than {@link #TRIES} tries is
 *       a give-up (a count, not a time, so it does not depend on how fast the loop turns).</li>
 *   <li>The {@link #TRIES}th timed wait of the thread on it (a loop until the thread has ended, the
 *       future is done, the pool has terminated) is a wait until the end: the hold is told
 *       ({@link Hold#waitedForToTheEnd}), and that wait, and every later one on it, either has no
 *       time limit or is made as written, as the hold says.</li>
 * </ul>
 *
 * A timeout of zero or less is made as written ({@code join(0)} waits for good; the others do not
 * wait). The routed methods are public because the re-loaded classes call them.
 */
@ThreadSafe
public final class TimedWaitRouting {

    private TimedWaitRouting() {}

    /**
     * How many tries a loop of timed waits on a held target must make before it counts as a loop
     * until the end: the first {@code TRIES - 1} run out at once, the {@code TRIES}th is a wait until
     * the end. A loop that gives up after fewer than {@code TRIES} tries is a give-up.
     */
    public static final int TRIES = 64;

    /** What a module's grading holds: a timed wait on a held target runs out at once (see the class comment). */
    public interface Hold {
        /**
         * @param target a {@code Thread} alive, a {@code Future} not done, an {@code ExecutorService}
         *     not terminated or a {@code CountDownLatch} not open
         * @return true if the grading holds {@code target} until it is waited for
         */
        boolean holds(Object target);

        /** The current thread makes its {@link #TRIES}th timed wait on held {@code target}: it waits until the end. */
        default void waitedForToTheEnd(Object target) {}

        /**
         * @return true if the {@link #TRIES}th and later timed waits on a held target have no time
         *     limit; false if they are made as written (the hold lets the target go in
         *     {@link #waitedForToTheEnd})
         */
        default boolean noTimeLimitOnceWaitedFor() {
            return true;
        }
    }

    private static final Set<Hold> HOLDS = ConcurrentHashMap.newKeySet();

    /** How many timed waits each waiting thread has made on each held target (by identity). */
    private static final Map<Thread, Map<Object, Integer>> WAITED_ON = Collections.synchronizedMap(new WeakHashMap<>());

    /** What each waiting thread has given up on: a timed wait on it ran out, and it has not waited to the end since. */
    private static final Map<Thread, Set<Object>> GAVE_UP_ON = Collections.synchronizedMap(new WeakHashMap<>());

    /** The threads now in a routed wait that has no time limit. */
    private static final Set<Thread> COMMITTED = ConcurrentHashMap.newKeySet();

    /**
     * @return a new instance (its constructor without arguments) of {@code solution}'s class loaded
     *     again with its timed waits, and those of the classes beside it, routed here, judged by
     *     {@code hold} (and the holds given before); or {@code solution} itself if it cannot be
     *     loaded again (it then runs as it is)
     */
    public static <T> T reloaded(T solution, Class<T> type, Hold hold) {
        HOLDS.add(hold);
        try {
            Class<?> original = solution.getClass();
            ClassLoader loader = original.getClassLoader();
            Class<?> again = SteppedClasses.reloaded(
                    original, bytes -> routed(bytes, loader), (name, access) -> !shared(name, access, loader));
            if (again == original) {
                return solution;
            }
            Constructor<?> make = again.getDeclaredConstructor();
            make.setAccessible(true);
            return type.cast(make.newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return solution; // a solution the grading cannot load again: run as it is
        }
    }

    /**
     * Every class beside the solution is loaded again, so that a timed wait in a helper (a public
     * {@code Joins.joinAll} the solution calls, say) is routed too, except the exercise's own types,
     * which the grading shares: public interfaces and the types nested in one (02's
     * {@code Outcome.Completed}, 01.2's {@code FetchAll.Response}).
     */
    private static boolean shared(String name, int access, ClassLoader loader) {
        if (publicInterface(access)) {
            return true;
        }
        int nested = name.indexOf('$');
        if (nested < 0) {
            return false;
        }
        try {
            Class<?> outer = Class.forName(name.substring(0, nested), false, loader);
            return outer.isInterface() && Modifier.isPublic(outer.getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean publicInterface(int access) {
        return (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_PUBLIC) != 0;
    }

    /** @return true if {@code thread} is in a routed wait that has no time limit */
    public static boolean committed(Thread thread) {
        return COMMITTED.contains(thread);
    }

    /** @return true if {@code thread} gave up on something: a timed wait on it ran out, and it has not waited to the end since */
    public static boolean gaveUp(Thread thread) {
        Set<Object> on = GAVE_UP_ON.get(thread);
        return on != null && !on.isEmpty();
    }

    /**
     * @return what {@code thread} gave up on (threads, futures, pools, latches): a timed wait on it
     *     ran out, and it has not waited on it to the end since
     */
    public static List<Object> gaveUpOn(Thread thread) {
        Set<Object> on = GAVE_UP_ON.get(thread);
        if (on == null) {
            return List.of();
        }
        synchronized (on) {
            return List.copyOf(on);
        }
    }

    private enum Wait {
        RUNS_OUT,
        TO_THE_END,
        AS_WRITTEN
    }

    /** Counts the current thread's timed wait on {@code target} (still running) if a hold holds it, and says what it is. */
    private static Wait waitOn(Object target) throws InterruptedException {
        Hold hold = null;
        for (Hold h : HOLDS) {
            if (h.holds(target)) {
                hold = h;
                break;
            }
        }
        if (hold == null) {
            return Wait.AS_WRITTEN;
        }
        Map<Object, Integer> counts = WAITED_ON.computeIfAbsent(
                Thread.currentThread(), t -> Collections.synchronizedMap(new IdentityHashMap<>()));
        Set<Object> gaveUpOn = GAVE_UP_ON.computeIfAbsent(
                Thread.currentThread(),
                t -> Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>())));
        if (counts.merge(target, 1, Integer::sum) < TRIES) {
            gaveUpOn.add(target);
            if (Thread.interrupted()) { // as the real wait would: the target still runs, so it would wait
                throw new InterruptedException();
            }
            return Wait.RUNS_OUT;
        }
        gaveUpOn.remove(target);
        hold.waitedForToTheEnd(target);
        return hold.noTimeLimitOnceWaitedFor() ? Wait.TO_THE_END : Wait.AS_WRITTEN;
    }

    private static void enter() {
        COMMITTED.add(Thread.currentThread());
    }

    private static void leave() {
        COMMITTED.remove(Thread.currentThread());
    }

    private static void joinToTheEnd(Thread thread) throws InterruptedException {
        enter();
        try {
            thread.join();
        } finally {
            leave();
        }
    }

    /** Routed {@code thread.join(millis)}. */
    public static void join(Thread thread, long millis) throws InterruptedException {
        Wait wait = millis <= 0 || !thread.isAlive() ? Wait.AS_WRITTEN : waitOn(thread);
        if (wait == Wait.TO_THE_END) {
            joinToTheEnd(thread);
        } else if (wait == Wait.AS_WRITTEN) {
            thread.join(millis);
        }
    }

    /** Routed {@code thread.join(millis, nanos)}. */
    public static void join(Thread thread, long millis, int nanos) throws InterruptedException {
        boolean asWritten =
                millis < 0 || nanos < 0 || nanos > 999_999 || (millis == 0 && nanos == 0) || !thread.isAlive();
        Wait wait = asWritten ? Wait.AS_WRITTEN : waitOn(thread);
        if (wait == Wait.TO_THE_END) {
            joinToTheEnd(thread);
        } else if (wait == Wait.AS_WRITTEN) {
            thread.join(millis, nanos);
        }
    }

    /** Routed {@code thread.join(duration)}. */
    public static boolean join(Thread thread, Duration duration) throws InterruptedException {
        Wait wait = duration == null || !duration.isPositive() || !thread.isAlive() ? Wait.AS_WRITTEN : waitOn(thread);
        if (wait == Wait.RUNS_OUT) {
            return !thread.isAlive();
        }
        if (wait == Wait.TO_THE_END) {
            joinToTheEnd(thread);
            return true;
        }
        return thread.join(duration);
    }

    /** Routed {@code unit.timedJoin(thread, timeout)}. */
    public static void timedJoin(TimeUnit unit, Thread thread, long timeout) throws InterruptedException {
        Wait wait = unit == null || timeout <= 0 || !thread.isAlive() ? Wait.AS_WRITTEN : waitOn(thread);
        if (wait == Wait.TO_THE_END) {
            joinToTheEnd(thread);
        } else if (wait == Wait.AS_WRITTEN) {
            unit.timedJoin(thread, timeout);
        }
    }

    /** Routed {@code future.get(timeout, unit)}. */
    public static Object get(Future<?> future, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Wait wait = timeout <= 0 || future.isDone() ? Wait.AS_WRITTEN : waitOn(future);
        if (wait == Wait.RUNS_OUT) {
            throw new TimeoutException();
        }
        if (wait == Wait.AS_WRITTEN) {
            return future.get(timeout, unit);
        }
        enter();
        try {
            return future.get();
        } finally {
            leave();
        }
    }

    /** Routed {@code pool.awaitTermination(timeout, unit)}. */
    public static boolean awaitTermination(ExecutorService pool, long timeout, TimeUnit unit)
            throws InterruptedException {
        Wait wait = timeout <= 0 || pool.isTerminated() ? Wait.AS_WRITTEN : waitOn(pool);
        if (wait == Wait.RUNS_OUT) {
            return false;
        }
        if (wait == Wait.AS_WRITTEN) {
            return pool.awaitTermination(timeout, unit);
        }
        enter();
        try {
            while (!pool.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
                // no time limit
            }
            return true;
        } finally {
            leave();
        }
    }

    /** Routed {@code latch.await(timeout, unit)}. */
    public static boolean await(CountDownLatch latch, long timeout, TimeUnit unit) throws InterruptedException {
        Wait wait = timeout <= 0 || latch.getCount() == 0 ? Wait.AS_WRITTEN : waitOn(latch);
        if (wait == Wait.RUNS_OUT) {
            return false;
        }
        if (wait == Wait.AS_WRITTEN) {
            return latch.await(timeout, unit);
        }
        enter();
        try {
            latch.await();
            return true;
        } finally {
            leave();
        }
    }

    private static final String SELF = TimedWaitRouting.class.getName().replace('.', '/');

    private static final Set<String> FUTURES = Set.of(
            "java/util/concurrent/Future",
            "java/util/concurrent/RunnableFuture",
            "java/util/concurrent/ScheduledFuture",
            "java/util/concurrent/RunnableScheduledFuture",
            "java/util/concurrent/FutureTask",
            "java/util/concurrent/CompletableFuture",
            "java/util/concurrent/ForkJoinTask");

    private static final Set<String> POOLS = Set.of(
            "java/util/concurrent/ExecutorService",
            "java/util/concurrent/ScheduledExecutorService",
            "java/util/concurrent/AbstractExecutorService",
            "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/ScheduledThreadPoolExecutor",
            "java/util/concurrent/ForkJoinPool");

    /** The class file with each timed wait (see the class comment) routed here; {@code loader} tells a Thread subclass. */
    static byte[] routed(byte[] original, ClassLoader loader) {
        return ClassFiles.rewritten(
                original,
                (method, next) -> ClassFiles.calls(next, (out, opcode, owner, called, type, isInterface) -> {
                    String routedType = routedType(opcode, owner, called, type, loader);
                    if (routedType != null) {
                        out.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, called, routedType, false);
                    } else {
                        out.visitMethodInsn(opcode, owner, called, type, isInterface);
                    }
                }));
    }

    /** @return the descriptor of this class's method for the call, or null if it is not a timed wait */
    private static String routedType(int opcode, String owner, String called, String type, ClassLoader loader) {
        if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
            return null;
        }
        if (called.equals("join")
                && opcode == Opcodes.INVOKEVIRTUAL
                && (type.equals("(J)V") || type.equals("(JI)V") || type.equals("(Ljava/time/Duration;)Z"))
                && isThread(owner, loader)) {
            return "(Ljava/lang/Thread;" + type.substring(1);
        }
        if (owner.equals("java/util/concurrent/TimeUnit")
                && called.equals("timedJoin")
                && type.equals("(Ljava/lang/Thread;J)V")) {
            return "(Ljava/util/concurrent/TimeUnit;Ljava/lang/Thread;J)V";
        }
        if (FUTURES.contains(owner)
                && called.equals("get")
                && type.equals("(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;")) {
            return "(Ljava/util/concurrent/Future;JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;";
        }
        if (POOLS.contains(owner)
                && called.equals("awaitTermination")
                && type.equals("(JLjava/util/concurrent/TimeUnit;)Z")) {
            return "(Ljava/util/concurrent/ExecutorService;JLjava/util/concurrent/TimeUnit;)Z";
        }
        if (owner.equals("java/util/concurrent/CountDownLatch")
                && called.equals("await")
                && type.equals("(JLjava/util/concurrent/TimeUnit;)Z")) {
            return "(Ljava/util/concurrent/CountDownLatch;JLjava/util/concurrent/TimeUnit;)Z";
        }
        return null;
    }

    /** @return true if {@code owner} is Thread or a subclass of it (a solution's own Thread subclass) */
    private static boolean isThread(String owner, ClassLoader loader) {
        if (owner.equals("java/lang/Thread")) {
            return true;
        }
        if (owner.startsWith("java/")) {
            return false;
        }
        try {
            return Thread.class.isAssignableFrom(Class.forName(owner.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
