package dev.threadlab.gil;

import static org.awaitility.Awaitility.await;

import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.gil.exercise.HandOff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import net.jcip.annotations.ThreadSafe;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@link SwitchIntervalGil} on a {@link ManualGilClock}, and Python threads that a test drives one
 * step at a time ({@link PythonThread#step}), so a test can line them up exactly: "worker-1 holds
 * the GIL; worker-2 waits for it; 5 ms pass; worker-1 reaches its next check".
 *
 * <p>Waiting is bounded: {@link #awaitUntil} gives a state {@link #PATIENCE} of real time to come
 * about (it comes in microseconds when the code is right; the bound only turns a hang into a
 * failure that says what did not happen), and fails at once when a Python thread failed, with that
 * thread's exception as the cause. {@link #close()} interrupts and joins every thread it started.
 */
@ThreadSafe
public final class GilScenario implements AutoCloseable {

    /** How long a state may take to come about before a test calls it stuck (real time). */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    /** The GIL's clock: time moves only when the test advances it. */
    public final ManualGilClock clock = new ManualGilClock();
    /** Every thread's lane, timed by {@link #clock}. */
    public final Timeline timeline = new Timeline(clock);
    /** The GIL under test. */
    public final SwitchIntervalGil gil;

    private final List<PythonThread> threads = new ArrayList<>();

    /**
     * @param handOff  the drop-request hand-off under test
     * @param interval the GIL's switch interval
     */
    public GilScenario(HandOff handOff, Duration interval) {
        gil = new SwitchIntervalGil(clock, interval, handOff, timeline);
    }

    /** @return a new Python thread called {@code name}, started and waiting for its first step */
    public synchronized PythonThread thread(String name) {
        PythonThread thread = new PythonThread(name);
        threads.add(thread);
        return thread;
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param whatIsBroken the rule that broke if it never holds (the failure message)
     * @throws AssertionError with {@code whatIsBroken} after {@link #PATIENCE}; or at once, naming the
     *                        thread and with its exception as the cause, if a Python thread failed
     */
    public void awaitUntil(String whatIsBroken, BooleanSupplier condition) {
        try {
            await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        rethrowFailures();
                        return condition.getAsBoolean();
                    });
        } catch (ConditionTimeoutException e) {
            rethrowFailures();
            throw new AssertionError(whatIsBroken + " (nothing changed for " + PATIENCE.toSeconds() + " s)", e);
        }
    }

    /** @throws AssertionError if a step of some Python thread failed, with its exception as cause */
    public synchronized void rethrowFailures() {
        for (PythonThread thread : threads) {
            for (Step step : thread.steps) {
                if (step.done.isCompletedExceptionally()) {
                    Throwable cause = step.done.exceptionNow();
                    throw new AssertionError(thread.name + " failed in " + step.what + ": " + cause, cause);
                }
            }
        }
    }

    /** Interrupts every Python thread, lets held ones go, and waits until all have ended. */
    @Override
    public synchronized void close() throws InterruptedException {
        for (PythonThread thread : threads) {
            thread.thread.interrupt();
            clock.release(thread.thread);
        }
        for (PythonThread thread : threads) {
            thread.thread.join(PATIENCE.toMillis());
        }
    }

    private record Step(String what, Gil.Blocking action, CompletableFuture<Void> done) {}

    /** A Python thread that runs the steps a test gives it, one after the other. */
    public final class PythonThread {
        private final String name;
        private final Thread thread;
        private final BlockingQueue<Step> queue = new LinkedBlockingQueue<>();
        private final List<Step> steps = new ArrayList<>();

        private PythonThread(String name) {
            this.name = name;
            this.thread = Thread.ofPlatform().name(name).start(this::runSteps);
        }

        private void runSteps() {
            try {
                while (true) {
                    Step step = queue.take();
                    try {
                        step.action().run();
                        step.done().complete(null);
                    } catch (Throwable t) {
                        step.done().completeExceptionally(t);
                        if (t instanceof InterruptedException) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                // the scenario is closing
            } finally {
                gil.detach(); // lets go of the GIL if this thread still holds it, so no other thread waits forever
            }
        }

        /**
         * Gives this thread its next step.
         *
         * @param what   a name for failure messages ("attach", "next chunk")
         * @param action what to do, on this thread
         * @return completes when the step is done, or exceptionally with what it threw
         */
        public CompletableFuture<Void> step(String what, Gil.Blocking action) {
            Step step = new Step(what, action, new CompletableFuture<>());
            synchronized (GilScenario.this) {
                steps.add(step);
            }
            queue.add(step);
            return step.done();
        }

        /** Takes the GIL: {@code gil.attach()}. */
        public CompletableFuture<Void> attach() {
            return step("attach", gil::attach);
        }

        /** Lets go of the GIL for good: {@code gil.detach()}. */
        public CompletableFuture<Void> detach() {
            return step("detach", () -> gil.detach());
        }

        /** @return the platform thread */
        public Thread thread() {
            return thread;
        }

        /** @return the thread's name */
        public String name() {
            return name;
        }
    }
}
