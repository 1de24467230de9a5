package dev.threadlab.basics.exercise;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
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
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * What a timed wait means in 01.1's and 01.2's grading, decided by construction, never by how long
 * the wait lasted. The solution's class is loaded again ({@code SteppedClasses}) with each timed
 * wait it makes routed here: {@code Thread.join(millis)}, {@code join(millis, nanos)},
 * {@code join(Duration)}, {@code Future.get(timeout, unit)},
 * {@code ExecutorService.awaitTermination(timeout, unit)} and
 * {@code CountDownLatch.await(timeout, unit)}.
 *
 * <ul>
 *   <li>On a thread, future or pool that has already ended, the call is made as written (it
 *       returns at once).</li>
 *   <li>The first timed wait of a thread on something still running <b>runs out at once</b>, as
 *       it may whatever its length: {@code join(ms)} returns with the thread still alive,
 *       {@code join(Duration)}, {@code awaitTermination} and a latch's {@code await} return false, {@code get} throws
 *       {@code TimeoutException}. A caller that goes on from there has given up on the task, which
 *       the grader still holds: it is rejected every run, with one message, whatever the timeout.</li>
 *   <li>So do its next timed waits on it, up to {@link #TRIES}{@code - 1} in all: a loop that
 *       gives up after fewer than {@link #TRIES} tries is a give-up, every run (a count, not a
 *       time, so it does not depend on how fast the loop turns).</li>
 *   <li>A caller that waits on the same thing for the {@link #TRIES}th time (a loop until the
 *       thread has ended, the future is done, the pool has terminated) is waiting for it: that
 *       wait, and every later one on it, has no time limit ({@code join()}, {@code get()}; an {@code awaitTermination} runs
 *       until the pool has terminated), so the grader sees a plain wait and lets the task end.</li>
 * </ul>
 *
 * A timeout of zero or less is made as written ({@code join(0)} waits for good; the others do not
 * wait). The methods are public because the re-loaded classes call them.
 */
@ThreadSafe
public final class TimedWaits {

    private TimedWaits() {}

    /**
     * How many tries a loop of timed waits on something still running must make before it counts as
     * a loop until the end: the first {@code TRIES - 1} run out at once, the {@code TRIES}th has no
     * time limit. A loop that gives up after fewer than {@code TRIES} tries is a give-up.
     */
    static final int TRIES = 64;

    /** How many timed waits each waiting thread has made on each thing (by identity). */
    private static final Map<Thread, Map<Object, Integer>> WAITED_ON = Collections.synchronizedMap(new WeakHashMap<>());

    /** What each waiting thread has given up on: waited on once, with a wait that ran out, and not since. */
    private static final Map<Thread, Set<Object>> GAVE_UP_ON = Collections.synchronizedMap(new WeakHashMap<>());

    /** The threads now in a wait that was entered again, so has no time limit. */
    private static final Set<Thread> COMMITTED = ConcurrentHashMap.newKeySet();

    /** @return true if {@code thread} is in a timed wait that the grading counts as one without a time limit */
    static boolean committed(Thread thread) {
        return COMMITTED.contains(thread);
    }

    /** @return true if {@code thread} gave up on something: a timed wait ran out, and it did not wait on it again */
    static boolean gaveUp(Thread thread) {
        Set<Object> on = GAVE_UP_ON.get(thread);
        return on != null && !on.isEmpty();
    }

    private static Set<Object> of(Map<Thread, Set<Object>> map) {
        return map.computeIfAbsent(
                Thread.currentThread(),
                t -> Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>())));
    }

    /**
     * @return true for the current thread's first {@link #TRIES}{@code - 1} timed waits on
     *         {@code target} (each runs out at once, and the thread has given up on it until it
     *         waits on it for the {@link #TRIES}th time)
     */
    private static boolean runsOutAtOnce(Object target) {
        Map<Object, Integer> counts = WAITED_ON.computeIfAbsent(
                Thread.currentThread(), t -> Collections.synchronizedMap(new IdentityHashMap<>()));
        int tries = counts.merge(target, 1, Integer::sum);
        if (tries < TRIES) {
            of(GAVE_UP_ON).add(target);
            return true;
        }
        of(GAVE_UP_ON).remove(target);
        return false;
    }

    private static void enter() {
        COMMITTED.add(Thread.currentThread());
    }

    private static void leave() {
        COMMITTED.remove(Thread.currentThread());
    }

    public static void join(Thread thread, long millis) throws InterruptedException {
        if (millis <= 0 || !thread.isAlive()) {
            thread.join(millis);
        } else if (runsOutAtOnce(thread)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        } else {
            waitFor(thread);
        }
    }

    public static void join(Thread thread, long millis, int nanos) throws InterruptedException {
        if (millis < 0 || nanos < 0 || nanos > 999_999 || (millis == 0 && nanos == 0) || !thread.isAlive()) {
            thread.join(millis, nanos);
        } else {
            join(thread, Math.max(1, millis));
        }
    }

    public static boolean join(Thread thread, Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero() || !thread.isAlive()) {
            return thread.join(duration);
        }
        if (runsOutAtOnce(thread)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return !thread.isAlive();
        }
        waitFor(thread);
        return true;
    }

    private static void waitFor(Thread thread) throws InterruptedException {
        enter();
        try {
            thread.join();
        } finally {
            leave();
        }
    }

    public static Object get(Future<?> future, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (timeout <= 0 || future.isDone()) {
            return future.get(timeout, unit);
        }
        if (runsOutAtOnce(future)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            throw new TimeoutException();
        }
        enter();
        try {
            return future.get();
        } finally {
            leave();
        }
    }

    public static boolean awaitTermination(ExecutorService pool, long timeout, TimeUnit unit)
            throws InterruptedException {
        if (timeout <= 0 || pool.isTerminated()) {
            return pool.awaitTermination(timeout, unit);
        }
        if (runsOutAtOnce(pool)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return false;
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

    public static boolean await(CountDownLatch latch, long timeout, TimeUnit unit) throws InterruptedException {
        if (timeout <= 0 || latch.getCount() == 0) {
            return latch.await(timeout, unit);
        }
        if (runsOutAtOnce(latch)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return false;
        }
        enter();
        try {
            latch.await();
            return true;
        } finally {
            leave();
        }
    }

    /** The JDK classes whose {@code close()} waits, with no time limit, until the pool has terminated. */
    private static final Set<String> POOLS_THAT_CLOSE = Set.of(
            "java.util.concurrent.ExecutorService",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPerTaskExecutor",
            "java.util.concurrent.ForkJoinPool");

    /** The JDK frames that run a pool's task. */
    private static final Set<String> POOL_TASK_RUNNERS = Set.of(
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPerTaskExecutor$TaskRunner",
            "java.util.concurrent.ThreadPerTaskExecutor$ThreadBoundFuture",
            "java.util.concurrent.ForkJoinPool");

    /**
     * @return true if {@code t} is inside a pool's {@code close()}: the JDK's timed waits there are a
     *         loop until the pool has terminated, a wait for every task of the pool with no time limit
     */
    static boolean inAPoolsClose(Thread t) {
        return anyFrame(t, POOLS_THAT_CLOSE, "close");
    }

    /** @return true if {@code t} runs a task of a pool (a JDK executor's worker thread) */
    static boolean runsAPoolsTask(Thread t) {
        return anyFrame(t, POOL_TASK_RUNNERS, null);
    }

    private static boolean anyFrame(Thread t, Set<String> classes, String method) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (classes.contains(f.getClassName())
                    && (method == null || f.getMethodName().equals(method))) {
                return true;
            }
        }
        return false;
    }

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

    /** The class file with each timed wait (see the class comment) routed through this class. */
    static byte[] routed(byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        String self = TimedWaits.class.getName().replace('.', '/');
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                        return new MethodVisitor(Opcodes.ASM9, method) {
                            @Override
                            public void visitMethodInsn(
                                    int opcode, String owner, String called, String type, boolean isInterface) {
                                String routedType = routedType(opcode, owner, called, type);
                                if (routedType != null) {
                                    super.visitMethodInsn(Opcodes.INVOKESTATIC, self, called, routedType, false);
                                } else {
                                    super.visitMethodInsn(opcode, owner, called, type, isInterface);
                                }
                            }
                        };
                    }
                },
                0);
        return writer.toByteArray();
    }

    /** @return the descriptor of this class's method for the call, or null if it is not a timed wait */
    private static String routedType(int opcode, String owner, String called, String type) {
        if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
            return null;
        }
        if (owner.equals("java/lang/Thread") && called.equals("join")) {
            return switch (type) {
                case "(J)V" -> "(Ljava/lang/Thread;J)V";
                case "(JI)V" -> "(Ljava/lang/Thread;JI)V";
                case "(Ljava/time/Duration;)Z" -> "(Ljava/lang/Thread;Ljava/time/Duration;)Z";
                default -> null;
            };
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
}
