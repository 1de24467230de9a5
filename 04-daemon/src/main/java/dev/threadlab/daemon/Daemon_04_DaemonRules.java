package dev.threadlab.daemon;

import dev.threadlab.daemon.harness.ReturnFromMain;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The rules of daemon status in Java, each observed live rather than quoted. When can it be set?
 * Where does a new thread's status come from? What about virtual threads and thread pools?
 *
 * <p>Run: {@code ./mvnw -q -pl 04-daemon -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.daemon.Daemon_04_DaemonRules}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * setDaemon(true) after start()                   -> IllegalThreadStateException
 * new Thread() made by a daemon thread            -> daemon=true
 * new Thread() made by a user thread              -> daemon=false
 * Thread.ofVirtual() thread                       -> daemon=true
 * setDaemon(false) on a virtual thread            -> IllegalArgumentException: 'false' not legal for virtual threads
 * Executors.defaultThreadFactory(), from a daemon -> daemon=false
 * ForkJoinPool.commonPool() worker                -> daemon=true
 * </pre>
 * So: status is fixed at {@code start()} (Python: {@code RuntimeError: cannot set daemon status
 * of active thread}); it is inherited from the creating thread, as in Python; virtual threads are
 * always daemons; and a pool made by {@code Executors} has user threads even when a daemon
 * creates it, so a pool that is never shut down keeps the JVM alive
 * ({@link Daemon_05_ForgottenPool}).
 *
 * <p>Source: JDK javadoc of {@link Thread#setDaemon(boolean)}, {@link Thread} ("inheritance"),
 * {@link Executors#defaultThreadFactory()}, {@link ForkJoinPool#commonPool()}.
 *
 * <p>Thread-safety: {@link #observe()} may be called from any thread; every thread it starts
 * has ended when it returns.
 */
@Command(
        name = "daemon-04",
        mixinStandardHelpOptions = true,
        description = "Observes the rules of daemon status: when it can be set, inheritance, virtual threads, pools.")
public final class Daemon_04_DaemonRules implements Callable<Integer> {

    /** What each rule's experiment observed. */
    public record Observations(
            String setDaemonAfterStart,
            boolean madeByDaemonIsDaemon,
            boolean madeByUserIsDaemon,
            boolean virtualIsDaemon,
            String virtualSetDaemonFalse,
            boolean defaultFactoryFromDaemonIsDaemon,
            boolean commonPoolWorkerIsDaemon) {}

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Observations o = observe();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-47s -> %s%n", "setDaemon(true) after start()", o.setDaemonAfterStart());
        out.printf("%-47s -> daemon=%s%n", "new Thread() made by a daemon thread", o.madeByDaemonIsDaemon());
        out.printf("%-47s -> daemon=%s%n", "new Thread() made by a user thread", o.madeByUserIsDaemon());
        out.printf("%-47s -> daemon=%s%n", "Thread.ofVirtual() thread", o.virtualIsDaemon());
        out.printf("%-47s -> %s%n", "setDaemon(false) on a virtual thread", o.virtualSetDaemonFalse());
        out.printf(
                "%-47s -> daemon=%s%n",
                "Executors.defaultThreadFactory(), from a daemon", o.defaultFactoryFromDaemonIsDaemon());
        out.printf("%-47s -> daemon=%s%n", "ForkJoinPool.commonPool() worker", o.commonPoolWorkerIsDaemon());
        out.flush();
        return 0;
    }

    /**
     * Runs each experiment and reports what happened.
     *
     * @throws InterruptedException if interrupted while waiting for an experiment's thread
     */
    public static Observations observe() throws InterruptedException {
        return new Observations(
                setDaemonAfterStart(),
                daemonOfThreadMadeBy(true),
                daemonOfThreadMadeBy(false),
                Thread.ofVirtual().unstarted(() -> {}).isDaemon(),
                virtualSetDaemonFalse(),
                defaultFactoryThreadMadeByADaemon(),
                ForkJoinPool.commonPool()
                        .submit(() -> Thread.currentThread().isDaemon())
                        .join());
    }

    private static String setDaemonAfterStart() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread running = Thread.ofPlatform().name("already-started").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            running.setDaemon(true);
            return "no exception (daemon=" + running.isDaemon() + ")";
        } catch (IllegalThreadStateException e) {
            return e.getClass().getSimpleName();
        } finally {
            release.countDown();
            running.join();
        }
    }

    /** Starts a thread of the given kind, which creates (without starting) a thread and reports its status. */
    private static boolean daemonOfThreadMadeBy(boolean creatorIsDaemon) throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        Thread creator = Thread.ofPlatform()
                .name("creator")
                .daemon(creatorIsDaemon)
                .start(() -> result.set(new Thread(() -> {}).isDaemon()));
        creator.join();
        return result.get();
    }

    private static String virtualSetDaemonFalse() {
        try {
            Thread.ofVirtual().unstarted(() -> {}).setDaemon(false);
            return "no exception";
        } catch (IllegalArgumentException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static boolean defaultFactoryThreadMadeByADaemon() throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        Thread creator = Thread.ofPlatform()
                .name("daemon-creator")
                .daemon()
                .start(() -> result.set(
                        Executors.defaultThreadFactory().newThread(() -> {}).isDaemon()));
        creator.join();
        return result.get();
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        ReturnFromMain.run(new Daemon_04_DaemonRules(), args);
    }
}
