package dev.threadlab.daemon.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jcip.annotations.ThreadSafe;

/**
 * Answers, from inside a JVM, the question "main has returned: why is this program still
 * running?". JLS §12.8 ("Program Exit"): the JVM exits when every non-daemon thread has ended
 * (or someone calls {@code System.exit} / {@code Runtime.halt}). So once {@code main} has
 * returned, any non-daemon thread that is still alive, before shutdown has begun, is what keeps
 * the program running; this class names it, with its state and where it waits.
 *
 * <pre>{@code
 * Thread main = Thread.currentThread();
 * KeepAliveWatch.start(main, Duration.ofSeconds(1), culprits ->
 *         System.out.println("KEPT ALIVE by " + culprits));
 * // ... main returns; if a forgotten pool's thread is still there, one second later:
 * // KEPT ALIVE by ["pool-1-thread-1" WAITING in java.util.concurrent.LinkedBlockingQueue.take]
 * }</pre>
 *
 * <p>Two threads are never culprits: the caller, and the launcher's {@code DestroyJavaVM} thread
 * (the one that waits for the others so that it can shut the JVM down). Once shutdown has begun,
 * nothing keeps the JVM alive any more (its shutdown hooks are running, and they are non-daemon
 * threads, so they would otherwise look like culprits): the answer is then "nobody".
 *
 * <p>Thread-safety: all methods may be called from any thread. Source: JLS §12.8; JDK
 * {@link Thread#setDaemon(boolean)} and {@link Runtime#addShutdownHook(Thread)} javadoc.
 */
@ThreadSafe
public final class KeepAliveWatch {

    /** Name of the launcher's thread that waits for the last non-daemon thread, then exits. */
    static final String DESTROY_JAVA_VM = "DestroyJavaVM";

    /** Name of the watching thread {@link #start} creates (a daemon: it keeps nothing alive). */
    public static final String THREAD_NAME = "keep-alive-watch";

    private KeepAliveWatch() {}

    /**
     * A non-daemon thread found alive, described for a reader.
     *
     * @param name  the thread's name
     * @param state its state when it was seen
     * @param where the first frame of its stack that says what it waits in (empty if unknown)
     */
    public record Culprit(String name, Thread.State state, String where) {
        @Override
        public String toString() {
            return "\"" + name + "\" " + state + (where.isEmpty() ? "" : " in " + where);
        }
    }

    /**
     * The non-daemon threads alive now, except the caller and {@code DestroyJavaVM}; empty if the
     * JVM has begun shutting down.
     *
     * @return the threads that, if {@code main} has returned, keep this JVM running
     */
    public static List<Culprit> nonDaemonThreadsAliveNow() {
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        List<Culprit> culprits = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : all.entrySet()) {
            Thread thread = entry.getKey();
            if (thread.isAlive()
                    && !thread.isDaemon()
                    && thread != Thread.currentThread()
                    && !thread.getName().equals(DESTROY_JAVA_VM)) {
                culprits.add(new Culprit(thread.getName(), thread.getState(), where(entry.getValue())));
            }
        }
        // Checked after the enumeration: if shutdown had not begun now, it had not begun then
        // either, so no thread above is a shutdown hook.
        culprits.sort(java.util.Comparator.comparing(Culprit::name));
        return shutdownInProgress() ? List.of() : List.copyOf(culprits);
    }

    /**
     * Starts a daemon thread that waits for {@code main} to end and then looks for the non-daemon
     * threads keeping the JVM alive. A thread that ends within {@code grace} of being seen is
     * only finishing (say, a pool worker just after {@code awaitTermination} returned) and is not
     * reported. If some remain, {@code whenKeptAlive} runs with them, on the watching thread.
     * If none remain, the JVM is exiting and the watcher does nothing.
     *
     * @param main          the thread running {@code main}; pass {@code Thread.currentThread()}
     *                      from {@code main}
     * @param grace         how long to give a non-daemon thread to end before naming it; zero
     *                      names every non-daemon thread alive at once
     * @param whenKeptAlive what to do with the culprits (print them, halt the JVM...)
     * @return the watching thread, already started, named {@value #THREAD_NAME}
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public static Thread start(Thread main, Duration grace, Consumer<List<Culprit>> whenKeptAlive) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        return Thread.ofPlatform().name(THREAD_NAME).daemon().start(() -> {
            try {
                main.join();
                List<Culprit> culprits = nonDaemonThreadsAliveNow();
                if (!culprits.isEmpty() && !grace.isZero()) {
                    joinAll(grace);
                    culprits = nonDaemonThreadsAliveNow();
                }
                if (!culprits.isEmpty()) {
                    whenKeptAlive.accept(culprits);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody to report to: the JVM is going away
            }
        });
    }

    private static void joinAll(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.isDaemon()
                    && thread != Thread.currentThread()
                    && !thread.getName().equals(DESTROY_JAVA_VM)) {
                thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
    }

    /** @return true once the JVM has begun running its shutdown hooks */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> {}, "shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException shutdownBeganJustNow) {
            // the probe will run as a hook and do nothing; what we saw before is still true
        }
        return false;
    }

    /** The first frame that is not lock, parking or blocker machinery: where the thread waits, for a reader. */
    private static String where(StackTraceElement[] stack) {
        return Arrays.stream(stack)
                .filter(f -> !f.getClassName().startsWith("jdk.internal.")
                        && !f.getClassName().startsWith("java.util.concurrent.locks.")
                        && !f.getClassName().equals("java.util.concurrent.ForkJoinPool")
                        && !f.getClassName().equals("java.lang.Thread")
                        && !f.getClassName().equals("java.lang.Object"))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName())
                .orElse("");
    }
}
