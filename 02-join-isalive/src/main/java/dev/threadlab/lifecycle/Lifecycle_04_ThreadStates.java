package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.common.timeline.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.jcip.annotations.ThreadSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A thread's whole life: NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED. CPython has
 * only {@code is_alive()}; Java's {@link Thread#getState()} names the six states, and this demo
 * drives one thread through every one of them, on purpose, while {@code main} watches.
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo} (the module's default demo;
 * options: {@code -Ddemo.args="--hold-ms 200 --nap-ms 300"})
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [   2 ms] main       subject is NEW           isAlive() = false (created, not started)
 * [  15 ms] main       subject is RUNNABLE      isAlive() = true  (spinning on a core)
 * [ 251 ms] main       subject is BLOCKED       isAlive() = true  (wants the monitor main holds)
 * [ 453 ms] main       subject is WAITING       isAlive() = true  (in CountDownLatch.await(), no time limit)
 * [ 654 ms] main       subject is TIMED_WAITING isAlive() = true  (in sleep(), with a time limit)
 * [ 954 ms] main       subject is TERMINATED    isAlive() = false (its run() returned)
 * [ 966 ms] main       the subject's life, as main saw it:
 *          0 ms                                                  952 ms
 * main    |#########################################...................|
 * subject |^###############xxxxxxxxxxxx.............zzzzzzzzzzzzzzzzzzz|
 *          # running  - ready  z sleeping/io  . waiting  x blocked  ^ mark
 * </pre>
 * Each state has a cause you can point at: RUNNABLE while it computes (here it spins), BLOCKED
 * while another thread holds the monitor it wants ({@code synchronized}), WAITING in a wait with no
 * time limit ({@code CountDownLatch.await()}, {@code join()}, {@code Object.wait()}), TIMED_WAITING
 * in one with a limit ({@code sleep}, {@code join(Duration)}). {@code isAlive()} is simply "started
 * and not yet TERMINATED". The states are a snapshot: by the time you read one it may have changed,
 * so use them to look, never to coordinate.
 *
 * <p>Source followed: {@link Thread.State} (JDK 25 javadoc).
 */
@Command(
        name = "lifecycle-04",
        mixinStandardHelpOptions = true,
        description = "Drives one thread through all six Thread.State values and draws its life as a timeline.")
public final class Lifecycle_04_ThreadStates implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--hold-ms",
            defaultValue = "200",
            description = "how long main keeps the subject in each state, ms, 0..5000 (default: ${DEFAULT-VALUE})")
    long holdMillis;

    @Option(
            names = "--nap-ms",
            defaultValue = "300",
            description = "how long the subject sleeps (its TIMED_WAITING), ms, 1..5000 (default: ${DEFAULT-VALUE})")
    long napMillis;

    @Option(
            names = "--width",
            defaultValue = "60",
            description = "timeline width in characters, 10..200 (default: ${DEFAULT-VALUE})")
    int width;

    /** Why the subject is in each state, for the printout. */
    private static final Map<Thread.State, String> CAUSE = Map.of(
            Thread.State.NEW, "created, not started",
            Thread.State.RUNNABLE, "spinning on a core",
            Thread.State.BLOCKED, "wants the monitor main holds",
            Thread.State.WAITING, "in CountDownLatch.await(), no time limit",
            Thread.State.TIMED_WAITING, "in sleep(), with a time limit",
            Thread.State.TERMINATED, "its run() returned");

    /**
     * The thread whose life is shown. Each step of its body waits for something its driver
     * controls, so the driver (the demo's {@code main}, or a test) decides when it moves on:
     * <ol>
     *   <li>RUNNABLE: spins until {@link #stopSpinning()};</li>
     *   <li>BLOCKED: enters {@code synchronized (door())}, which the driver holds;</li>
     *   <li>WAITING: {@code await()}s a latch until {@link #signal()};</li>
     *   <li>TIMED_WAITING: sleeps through its {@link Sleeper} (a test's sleeper waits for the test);</li>
     *   <li>TERMINATED: returns.</li>
     * </ol>
     * An interrupt ends it early from WAITING or TIMED_WAITING.
     *
     * <p>Thread-safety: the controls may be used from any thread.
     */
    @ThreadSafe
    public static final class Subject {
        private final Object door = new Object();
        private final CountDownLatch signal = new CountDownLatch(1);
        private volatile boolean spinning = true;
        private final Thread thread;

        /**
         * @param sleeper how the subject sleeps in its TIMED_WAITING step
         * @param nap     how long it asks to sleep
         */
        public Subject(Sleeper sleeper, Duration nap) {
            this.thread = Thread.ofPlatform().name("subject").unstarted(() -> {
                while (spinning) {
                    Thread.onSpinWait();
                }
                synchronized (door) {
                    // nothing: getting in was the point
                }
                try {
                    signal.await();
                    sleeper.sleep(nap);
                } catch (InterruptedException e) {
                    // asked to stop: end now
                }
            });
        }

        /** @return the subject's thread, not yet started */
        public Thread thread() {
            return thread;
        }

        /** @return the monitor the subject enters after spinning; hold it to keep the subject BLOCKED */
        public Object door() {
            return door;
        }

        /** Ends the RUNNABLE step. */
        public void stopSpinning() {
            spinning = false;
        }

        /** Ends the WAITING step. */
        public void signal() {
            signal.countDown();
        }

        /** Ends the subject's life from wherever it is (for clean-up): stops it spinning, signals, interrupts. */
        public void stop() {
            stopSpinning();
            signal();
            thread.interrupt();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(
                spec,
                holdMillis >= 0 && holdMillis <= 5000,
                "--hold-ms must be between 0 and 5000, was %d",
                holdMillis);
        Cli.require(
                spec, napMillis >= 1 && napMillis <= 5000, "--nap-ms must be between 1 and 5000, was %d", napMillis);
        Cli.require(spec, width >= 10 && width <= 200, "--width must be between 10 and 200, was %d", width);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());
        Timeline timeline = Timeline.system();
        new Driver(console, Sleeper.real(), Sleeper.real(), timeline)
                .drive(Duration.ofMillis(holdMillis), Duration.ofMillis(napMillis));
        console.println("the subject's life, as main saw it:\n" + timeline.renderAscii(width));
        return 0;
    }

    /**
     * Main's part: drives a {@link Subject} through its life and reports each state it observes.
     *
     * @param console        where main reports
     * @param mainSleeper    how main pauses (holding each state; looking every ms)
     * @param subjectSleeper how the subject sleeps in its TIMED_WAITING step
     * @param timeline       where the subject's states are drawn
     */
    record Driver(Console console, Sleeper mainSleeper, Sleeper subjectSleeper, Timeline timeline) {

        /**
         * Drives a {@link Subject} through its life, reporting each state as main observes it.
         *
         * @param hold how long main keeps the subject in each state it controls
         * @param nap  how long the subject sleeps
         * @return the states main observed, in order (TIMED_WAITING is missing only if the nap ended
         *         before main looked, which the printout says)
         * @throws InterruptedException if main is interrupted
         */
        List<Thread.State> drive(Duration hold, Duration nap) throws InterruptedException {
            Subject subject = new Subject(subjectSleeper, nap);
            Thread thread = subject.thread();
            List<Thread.State> seen = new ArrayList<>();
            timeline.record("main", Timeline.State.RUNNING, "driving");
            see(thread, Thread.State.NEW, seen);
            synchronized (subject.door()) {
                thread.start();
                see(thread, Thread.State.RUNNABLE, seen);
                mainSleeper.sleep(hold);
                subject.stopSpinning();
                see(thread, Thread.State.BLOCKED, seen);
                mainSleeper.sleep(hold);
            }
            see(thread, Thread.State.WAITING, seen);
            mainSleeper.sleep(hold);
            subject.signal();
            see(thread, Thread.State.TIMED_WAITING, seen);
            timeline.record("main", Timeline.State.WAITING, "join()");
            thread.join();
            see(thread, Thread.State.TERMINATED, seen);
            timeline.record("main", Timeline.State.ENDED, "done");
            return seen;
        }

        /**
         * Waits (looking every ms) until {@code thread} is in {@code state}, then reports it. Gives up
         * if the thread has already moved past it: the states come in the enum's order in this demo.
         */
        private void see(Thread thread, Thread.State state, List<Thread.State> seen) throws InterruptedException {
            Thread.State now;
            while ((now = thread.getState()) != state) {
                if (now.ordinal() > state.ordinal()) {
                    console.println("missed " + state + ": the subject was already " + now);
                    return;
                }
                mainSleeper.sleep(Duration.ofMillis(1));
            }
            seen.add(state);
            timeline.record(thread.getName(), TIMELINE_STATE.get(state), state.name());
            console.println(
                    String.format("subject is %-13s isAlive() = %-5s (%s)", state, thread.isAlive(), CAUSE.get(state)));
        }
    }

    private static final Map<Thread.State, Timeline.State> TIMELINE_STATE = Map.of(
            Thread.State.NEW, Timeline.State.MARK,
            Thread.State.RUNNABLE, Timeline.State.RUNNING,
            Thread.State.BLOCKED, Timeline.State.BLOCKED,
            Thread.State.WAITING, Timeline.State.WAITING,
            Thread.State.TIMED_WAITING, Timeline.State.SLEEPING,
            Thread.State.TERMINATED, Timeline.State.ENDED);

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_04_ThreadStates(), args);
    }
}
