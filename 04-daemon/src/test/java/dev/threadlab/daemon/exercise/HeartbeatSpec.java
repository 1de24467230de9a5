package dev.threadlab.daemon.exercise;

import static dev.threadlab.daemon.exercise.AutoSaverHarness.CALL_BOUND;

import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.daemon.exercise.AutoSaverHarness.Hung;
import dev.threadlab.daemon.solution.ReferenceHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The grading specification of exercise 04.1 ({@link Heartbeat}). Each test is one rule, stated in
 * {@link Heartbeat}'s javadoc. Everything happens in this JVM and by construction: the grading's
 * sleeper holds the heartbeat in its sleep until the rule says "wake up" or "you are interrupted",
 * so the rule knows where the loop is at every step. Whether the program could exit is decided by
 * what JLS §12.8 says decides it: whether each thread the heartbeat started is a daemon.
 */
@GradedExercise(
        value = "04.1 make a program exit: a heartbeat on a daemon thread",
        learner = YourHeartbeat.class,
        reference = ReferenceHeartbeat.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS) // a backstop: every wait inside is bounded far below it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order of Heartbeat's javadoc
class HeartbeatSpec {

    private static final Duration EVERY = Duration.ofMillis(250);

    @Test
    @Order(1)
    @DisplayName("1. start returns at once and the beats run on another thread")
    void startReturnsAtOnceAndTheBeatsRunOnAnotherThread(@Solution Heartbeat heartbeat) throws Exception {
        try (Probe probe = Probe.start(heartbeat)) {
            Thread beating = probe.awaitSleep(1);
            if (beating == probe.caller) {
                throw new AssertionError("the beats ran on the thread that called start()"); // Probe stops that first
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. It beats and sleeps until interrupted, then every thread it started ends")
    void itBeatsAndSleepsUntilInterruptedThenEveryThreadItStartedEnds(@Solution Heartbeat heartbeat) throws Exception {
        try (Probe probe = Probe.start(heartbeat)) {
            for (int sleep = 1; sleep <= 3; sleep++) {
                probe.awaitSleep(sleep);
                if (probe.beats() != sleep) {
                    throw new AssertionError(
                            "by its sleep number " + sleep + " the heartbeat had beaten " + probe.beats()
                                    + " time(s): the loop is beat.run(), then sleeper.sleep(every), one beat before each sleep");
                }
                if (sleep < 3) {
                    probe.wake();
                }
            }
            List<Duration> slept = probe.durations();
            if (slept.stream().anyMatch(d -> !d.equals(EVERY))) {
                throw new AssertionError("start(beat, " + EVERY.toMillis() + " ms, sleeper) slept "
                        + slept.stream().map(d -> d.toMillis() + " ms").toList()
                        + ": sleep for the interval it is given, "
                        + "sleeper.sleep(every)");
            }
            probe.interrupt();
            probe.awaitEnd("after sleeper.sleep(every) threw InterruptedException");
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. Every thread the heartbeat starts is a daemon")
    void everyThreadTheHeartbeatStartsIsADaemon(@Solution Heartbeat heartbeat) throws Exception {
        try (Probe probe = Probe.start(heartbeat)) {
            Thread beating = probe.awaitSleep(1);
            List<String> userThreads = new ArrayList<>();
            if (!beating.isDaemon()) {
                userThreads.add(describe(beating));
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t != beating
                        && !probe.before.contains(t)
                        && !t.isDaemon()
                        && !ThreadDumps.isInfrastructure(t)
                        && !t.getName().startsWith("grading: ")) {
                    userThreads.add(describe(t));
                }
            }
            if (!userThreads.isEmpty()) {
                throw new AssertionError("the heartbeat runs on thread(s) that are not daemons: "
                        + userThreads.stream().sorted().toList()
                        + ". After main returns, a thread that is not a daemon keeps the program "
                        + "alive for as long as it runs, and a heartbeat runs forever (a new Thread is a user thread "
                        + "when the thread that makes it is one, as main is). Make it a daemon before it "
                        + "starts: setDaemon(true) before start(), Thread.ofPlatform().daemon(), a virtual thread, or "
                        + "an executor whose ThreadFactory makes daemons");
            }
            // How the loop ends is rule 2's to judge; here the probe only stops it (close()), and a
            // thread left running is the course's leak check's to report.
        }
    }

    private static String describe(Thread t) {
        return "\"" + t.getName() + "\"";
    }

    /** Stops a loop that went on when it should have ended: an Error, so that catching exceptions does not stop it. */
    static final class GradingStop extends Error {
        GradingStop(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The beat and the sleeper the grading gives to {@code start}: it counts the beats, notes the
     * thread they run on, and holds each sleep until told to wake or to throw InterruptedException.
     */
    static final class Probe implements AutoCloseable {
        private enum Command {
            WAKE,
            INTERRUPT,
            STOP
        }

        final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        volatile Thread caller;
        private volatile Thread beating;
        private volatile int beats;
        private volatile int sleeps;
        private volatile boolean interrupted;
        private volatile String wentOn;
        private final List<Duration> durations = new ArrayList<>();
        private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();

        /** Starts the heartbeat with this probe's beat and sleeper; fails at once on the classic mistakes. */
        static Probe start(Heartbeat heartbeat) throws Exception {
            Probe probe = new Probe();
            try {
                probe.callStart(heartbeat);
            } catch (IllegalThreadStateException e) {
                probe.close();
                throw new AssertionError(
                        "start() threw IllegalThreadStateException: setDaemon(true) was called after "
                                + "start(); a thread's daemon status can only be set before it starts",
                        e);
            } catch (GradingStop onCaller) {
                probe.close();
                throw new AssertionError("the first beat ran on the thread that called start(), so start() would "
                        + "never return: the loop ran right there. Start a new thread with start() (calling a "
                        + "thread's run() runs it on the caller)");
            } catch (Hung hung) {
                probe.close();
                throw new Hung("start() did not return within " + CALL_BOUND.toSeconds() + " s while the heartbeat "
                        + "slept: start() must start the loop on a new thread and return at once, not wait for it "
                        + "(no join()). " + hung.getMessage());
            }
            return probe;
        }

        /**
         * Calls start() from a user thread, as main is one (a new Thread inherits its creator's
         * kind, so a plain {@code new Thread} made here is a user thread, as it would be in main),
         * and waits for it a bounded time.
         */
        private void callStart(Heartbeat heartbeat) throws Exception {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofPlatform()
                    .name("grading: start()")
                    .daemon(false)
                    .unstarted(() -> {
                        try {
                            heartbeat.start(this::beat, EVERY, sleeper());
                        } catch (Throwable t) {
                            thrown.set(t);
                        }
                    });
            this.caller = caller;
            caller.start();
            if (!caller.join(CALL_BOUND)) {
                throw new Hung("start() did not return within " + CALL_BOUND.toSeconds() + " s; it was "
                        + AutoSaverHarness.where(caller));
            }
            Throwable t = thrown.get();
            if (t instanceof Exception e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        private void beat() {
            Thread me = Thread.currentThread();
            if (me == caller) {
                throw new GradingStop("the beat ran on the caller");
            }
            if (interrupted) {
                wentOn = "it beat again";
                throw new GradingStop("beat after the interrupt");
            }
            if (beating == null) { // the grading's own stop, thrown to end a loop, is not worth a stack trace
                Thread.UncaughtExceptionHandler was = me.getUncaughtExceptionHandler();
                me.setUncaughtExceptionHandler((t, e) -> {
                    if (!(e instanceof GradingStop)) {
                        was.uncaughtException(t, e);
                    }
                });
            }
            synchronized (this) {
                beating = me;
                beats++;
                notifyAll();
            }
        }

        private Sleeper sleeper() {
            return duration -> {
                if (interrupted) {
                    wentOn = "it slept again";
                    throw new GradingStop("slept after the interrupt");
                }
                synchronized (this) {
                    durations.add(duration);
                    sleeps++;
                    notifyAll();
                }
                Command command = commands.poll(CALL_BOUND.toMillis() * 4, TimeUnit.MILLISECONDS);
                if (command == null || command == Command.STOP) {
                    throw new GradingStop("the grading has ended");
                }
                if (command == Command.INTERRUPT) {
                    interrupted = true;
                    throw new InterruptedException("interrupted while sleeping (the grading's sleeper)");
                }
            };
        }

        int beats() {
            return beats;
        }

        synchronized List<Duration> durations() {
            return List.copyOf(durations);
        }

        /** Waits until the heartbeat is in its sleep number {@code n}; @return the thread it beats on. */
        Thread awaitSleep(int n) throws InterruptedException {
            long deadline = System.nanoTime() + CALL_BOUND.toNanos();
            synchronized (this) {
                while (sleeps < n) {
                    Thread t = beating;
                    if (t != null && !t.isAlive() && sleeps < n) {
                        throw new AssertionError("the heartbeat's thread ended by itself after " + beats + " beat(s), "
                                + "without being interrupted: it must go on beating (beat.run(), then "
                                + "sleeper.sleep(every), in a loop) until the sleep throws InterruptedException");
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new Hung("the heartbeat did not reach its sleep number " + n + " within "
                                + CALL_BOUND.toSeconds() + " s (" + beats + " beat(s) so far, " + sleeps + " sleep(s))"
                                + (t == null
                                        ? ": it never beat; start a thread that calls beat.run()"
                                        : "; it was " + AutoSaverHarness.where(t)));
                    }
                    wait(Math.min(5, Math.max(1, left / 1_000_000))); // re-check whether the thread ended
                }
                return beating;
            }
        }

        void wake() {
            commands.add(Command.WAKE);
        }

        void interrupt() {
            commands.add(Command.INTERRUPT);
        }

        /** The thread that beats ends, and so do all the heartbeat's threads, once the loop is told to stop. */
        void awaitEnd(String when) throws InterruptedException {
            Thread t = beating;
            // it ends, or (a pool's worker) parks for its next task: a pool shut down never parks there
            if (!AutoSaverHarness.within(CALL_BOUND, t, () -> !t.isAlive() || idleInAPoolNeverShutDown(t))) {
                throw new Hung("the heartbeat's thread was still running " + CALL_BOUND.toSeconds() + " s " + when
                        + ": an InterruptedException from the sleep must end the loop; it was "
                        + AutoSaverHarness.where(t));
            }
            if (wentOn != null) {
                throw new AssertionError("the loop went on " + when + " (" + wentOn + "): catching "
                        + "InterruptedException and carrying on means the heartbeat can never be stopped; let it end "
                        + "the loop (catch it outside the loop, or return)");
            }
            List<String> left = new ArrayList<>();
            long deadline = System.nanoTime() + CALL_BOUND.toNanos();
            for (Thread other : Thread.getAllStackTraces().keySet()) {
                if (other == caller
                        || before.contains(other)
                        || ThreadDumps.isInfrastructure(other)
                        || other.getName().startsWith("grading: ")) {
                    continue;
                }
                if (!idleInAPoolNeverShutDown(other)) {
                    other.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
                if (other.isAlive()) {
                    left.add(describe(other) + " " + other.getState());
                }
            }
            if (!left.isEmpty()) {
                // Not a hang: nothing hung, so the later rules are run (a pool's idle worker costs the
                // leak check no wait: it knows such a thread never ends by itself).
                throw new AssertionError("the heartbeat's loop has ended, but thread(s) it started are still running: "
                        + left.stream().sorted().toList()
                        + ". Once the loop ends, its threads must end too: an "
                        + "executor must be shut down (shutdown() right after submitting the loop lets the loop run "
                        + "to its end, then the thread ends)");
            }
        }

        /** Parked waiting for a task in a pool: a pool that was shut down never parks there once its queue is empty. */
        private static boolean idleInAPoolNeverShutDown(Thread t) {
            return (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                    && Arrays.stream(t.getStackTrace())
                            .anyMatch(f -> f.getMethodName().equals("getTask")
                                    && f.getClassName().equals("java.util.concurrent.ThreadPoolExecutor"));
        }

        /** Ends the loop whatever state it is in, so that no rule leaves a thread behind. */
        @Override
        public void close() throws InterruptedException {
            if (!interrupted) {
                commands.add(Command.STOP);
            }
            Thread t = beating;
            if (t != null) {
                AutoSaverHarness.within(CALL_BOUND, t, () -> !t.isAlive() || idleInAPoolNeverShutDown(t));
            }
        }
    }
}
