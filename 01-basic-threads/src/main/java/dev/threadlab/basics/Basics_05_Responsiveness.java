package dev.threadlab.basics;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.bench.Summary;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.common.timeline.Timeline.State;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jcip.annotations.ThreadSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Why use threads? The lesson's second answer: "To improve the responsiveness of applications,
 * especially GUIs, where a long-running task can block the main thread." A GUI's screen is kept by
 * one thread, its event loop ({@link EventLoop}); a timer ticks every 10 ms. What happens to the
 * ticks when a half-second task runs on that thread, and when it runs on a thread of its own?
 *
 * <p>Run: {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.basics.Basics_05_Responsiveness} (options:
 * {@code -Ddemo.args="--task-ms 1000 --tick-ms 20 --loop plain"}). The loop is Swing's real event
 * dispatch thread, headless: no window or display needed.
 *
 * <p>What to observe (2 cores shared with other jobs, load average 29; JDK 25.0.3): a tick's
 * <em>latency</em> is how long it waited in the queue, from the moment the timer posted it to the
 * moment the loop ran it. In the timelines {@code ^} is a tick run, {@code z} the long task.
 *
 * <pre>
 * Swing's event dispatch thread (headless); a tick posted every 10 ms; the long task takes 500 ms (2 x 5 ticks around it)
 * long task ON the loop:   61 ticks, latency median  200.9 ms, max  497.2 ms; ticks run during the task: 0
 *                   0 ms                                                  605 ms
 * AWT-EventQueue-0 |...^^zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz^^^^^|
 *                   # running  - ready  z sleeping/io  . waiting  x blocked  ^ mark
 * long task OFF the loop:  60 ticks, latency median    0.2 ms, max    1.0 ms; ticks run during the task: 50
 *                   0 ms                                                  590 ms
 * AWT-EventQueue-0 |^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^.^^^^|
 * long-task        |    zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz     |
 *                   # running  - ready  z sleeping/io  . waiting  x blocked  ^ mark
 * </pre>
 *
 * <ul>
 *   <li>ON the loop, the task froze it: no tick ran while it did; the ticks piled up in the queue
 *       and ran in one burst when it ended (the {@code ^} after the {@code z}s), the oldest after
 *       waiting the whole task. A window would not repaint nor answer a click for that long.</li>
 *   <li>OFF the loop (a thread of its own, which posts "done" back to the loop when it finishes,
 *       as Swing's {@code SwingWorker} does with {@code done()}), the loop kept ticking through the
 *       task: latency stays about a millisecond.</li>
 *   <li>Only one thread may touch a GUI's widgets (Swing's rule, and tkinter's): the task's thread
 *       hands its result back by posting an event, never by touching the screen itself.</li>
 * </ul>
 *
 * <p>The task here waits (a sleep stands in for a slow download); a task that computes freezes the
 * loop the same way.
 */
@Command(
        name = "basics-05",
        mixinStandardHelpOptions = true,
        description = "An event loop's tick latency while a long task runs ON the loop, then OFF it (on a thread).")
public final class Basics_05_Responsiveness implements Callable<Integer> {

    /** Where the long task runs. */
    enum Placement {
        /** On the event loop's thread: the mistake. */
        ON_THE_LOOP("long task ON the loop"),
        /** On a thread of its own, posting its result back to the loop: the fix. */
        OFF_THE_LOOP("long task OFF the loop");

        final String label;

        Placement(String label) {
            this.label = label;
        }
    }

    /** Ticks handled before the task starts, and again after it ends, before the measurement stops. */
    static final int TICKS_AROUND_THE_TASK = 5;

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--task-ms",
            defaultValue = "500",
            description = "how long the long task takes, in ms (1-10000, default ${DEFAULT-VALUE})")
    private long taskMs;

    @Option(
            names = "--tick-ms",
            defaultValue = "10",
            description = "the timer's period, in ms (1-1000, default ${DEFAULT-VALUE})")
    private long tickMs;

    @Option(
            names = "--loop",
            defaultValue = "swing",
            description = "swing (the event dispatch thread, headless) or plain (default ${DEFAULT-VALUE})")
    private String loop;

    /**
     * What a measurement found.
     *
     * @param latenciesNanos  each tick's wait in the queue, in the order they ran
     * @param ticksDuringTask ticks that ran while the long task was running
     */
    record Result(Placement placement, List<Long> latenciesNanos, int ticksDuringTask) {
        Summary latencyMillis() {
            return Summary.of(latenciesNanos.stream().mapToDouble(n -> n / 1e6).toArray());
        }

        String line() {
            Summary ms = latencyMillis();
            return String.format(
                    Locale.ROOT,
                    "%-23s %3d ticks, latency median %6.1f ms, max %6.1f ms; ticks run during the task: %d",
                    placement.label + ":",
                    latenciesNanos.size(),
                    ms.median(),
                    ms.max(),
                    ticksDuringTask);
        }
    }

    /**
     * One measurement: ticks posted to {@code loop} (by the demo's timer, or by a test), and a long
     * task started ON or OFF it. Every tick records its latency; a timeline records what the loop
     * and the task's thread did.
     */
    @ThreadSafe
    static final class Session {
        private final EventLoop loop;
        private final Placement placement;
        private final Duration task;
        private final Sleeper sleeper;
        private final Ticker ticker;
        private final Timeline timeline;
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicInteger ticksDuringTask = new AtomicInteger();
        private final AtomicInteger posted = new AtomicInteger();
        private final CountDownLatch taskDone = new CountDownLatch(1);
        private final AtomicReference<Thread> worker = new AtomicReference<>();
        private volatile boolean taskRunning;

        @GuardedBy("this")
        private int handled;

        Session(EventLoop loop, Placement placement, Duration task, Sleeper sleeper, Ticker ticker) {
            this.loop = loop;
            this.placement = placement;
            this.task = task;
            this.sleeper = sleeper;
            this.ticker = ticker;
            this.timeline = new Timeline(ticker);
        }

        /**
         * Posts a first event and waits until the loop has run it, so that starting the loop's
         * thread (Swing starts its dispatch thread on the first event) is not timed as a tick.
         *
         * @return true once the loop runs events, false after {@code bound}
         */
        boolean awaitLoopStarted(Duration bound) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            loop.post(() -> {
                timeline.record(State.WAITING, "waiting for events");
                started.countDown();
            });
            return started.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Posts one tick; when the loop runs it, it records how long it waited. */
        void tick() {
            posted.incrementAndGet();
            long postedAt = ticker.nanoTime();
            loop.post(() -> {
                latencies.add(ticker.nanoTime() - postedAt);
                if (taskRunning) {
                    ticksDuringTask.incrementAndGet();
                }
                timeline.record(State.MARK, "tick");
                synchronized (this) {
                    handled++;
                    notifyAll();
                }
            });
        }

        /** Posts the long task: the loop runs it itself (ON) or hands it to a new thread (OFF). */
        void startTask() {
            loop.post(() -> {
                if (placement == Placement.ON_THE_LOOP) {
                    runTask();
                    taskDone.countDown();
                } else {
                    // SwingWorker in miniature: doInBackground() on a thread, done() back on the loop
                    worker.set(Thread.ofPlatform().name("long-task").start(() -> {
                        runTask();
                        loop.post(taskDone::countDown);
                    }));
                    timeline.record(State.WAITING, "waiting for events");
                }
            });
        }

        private void runTask() {
            taskRunning = true;
            timeline.record(State.SLEEPING, "the long task");
            try {
                sleeper.sleep(task);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                taskRunning = false;
                timeline.record(placement == Placement.ON_THE_LOOP ? State.WAITING : State.ENDED, "task over");
            }
        }

        /** @return true once the task has ended and the loop has heard of it, false after {@code bound} */
        boolean awaitTaskDone(Duration bound) throws InterruptedException {
            return taskDone.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** @return true once the loop has run {@code count} ticks in all, false after {@code bound} */
        synchronized boolean awaitTicksRun(int count, Duration bound) throws InterruptedException {
            long deadline = System.nanoTime() + bound.toNanos();
            while (handled < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** @return ticks the loop has run so far */
        synchronized int ticksRun() {
            return handled;
        }

        /** @return ticks posted so far */
        int ticksPosted() {
            return posted.get();
        }

        Timeline timeline() {
            return timeline;
        }

        /** @return the figures so far; call {@link #finish()} first for all of them */
        Result result() {
            return new Result(placement, List.copyOf(latencies), ticksDuringTask.get());
        }

        /**
         * Ends the session: interrupts the task's thread if it still runs and joins it, then lets the
         * loop run every tick posted so far. Post no more ticks after it.
         */
        void finish() throws InterruptedException {
            Thread thread = worker.get();
            if (thread != null) {
                thread.interrupt();
                thread.join();
            }
            CountDownLatch drained = new CountDownLatch(1);
            loop.post(drained::countDown);
            drained.await();
        }
    }

    /**
     * The demo's measurement: a timer thread posts a tick every {@code tickEvery}; after
     * {@value #TICKS_AROUND_THE_TASK} ticks the long task starts; {@value #TICKS_AROUND_THE_TASK}
     * ticks after it ended, the timer stops.
     */
    static Session measure(
            EventLoop loop, Placement placement, Duration task, Duration tickEvery, Sleeper sleeper, Ticker ticker)
            throws InterruptedException {
        Session session = new Session(loop, placement, task, sleeper, ticker);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "timer"));
        try {
            require(session.awaitLoopStarted(BOUND), "the loop did not start");
            timer.scheduleAtFixedRate(session::tick, 0, tickEvery.toNanos(), TimeUnit.NANOSECONDS);
            require(session.awaitTicksRun(TICKS_AROUND_THE_TASK, BOUND), "the loop ran no ticks");
            session.startTask();
            require(session.awaitTaskDone(BOUND), "the long task did not end");
            require(
                    session.awaitTicksRun(session.ticksPosted() + TICKS_AROUND_THE_TASK, BOUND),
                    "the loop stopped running ticks");
        } finally {
            timer.shutdownNow(); // no tick is posted after this...
            timer.close();
            session.finish(); // ...and every tick posted has run
        }
        return session;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem + " within " + BOUND.toSeconds() + " s");
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, taskMs >= 1 && taskMs <= 10_000, "--task-ms must be between 1 and 10000, was %d", taskMs);
        Cli.require(spec, tickMs >= 1 && tickMs <= 1000, "--tick-ms must be between 1 and 1000, was %d", tickMs);
        Cli.require(spec, loop.equals("swing") || loop.equals("plain"), "--loop must be swing or plain, was %s", loop);
        PrintWriter out = spec.commandLine().getOut();
        try (EventLoop eventLoop = loop.equals("swing") ? EventLoop.swing() : EventLoop.plain()) {
            out.printf(
                    "%s; a tick posted every %d ms; the long task takes %d ms (2 x %d ticks around it)%n",
                    eventLoop.description(), tickMs, taskMs, TICKS_AROUND_THE_TASK);
            for (Placement placement : Placement.values()) {
                Session session = measure(
                        eventLoop,
                        placement,
                        Duration.ofMillis(taskMs),
                        Duration.ofMillis(tickMs),
                        Sleeper.real(),
                        Ticker.system());
                out.println(session.result().line());
                out.print(session.timeline().renderAscii(60));
                out.flush();
            }
        }
        return 0;
    }

    /** Usage: {@code [--task-ms MS] [--tick-ms MS] [--loop swing|plain]}; bad values print usage and exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Basics_05_Responsiveness(), args);
    }
}
