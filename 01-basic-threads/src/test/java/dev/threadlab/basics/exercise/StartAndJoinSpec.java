package dev.threadlab.basics.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.threadlab.basics.solution.ReferenceStartAndJoin;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The grading specification of exercise 01 ({@link StartAndJoin}). Each test is one rule; its
 * failure message says which rule broke and what usually causes it.
 */
@GradedExercise(value = "01 start, run and join threads", learner = YourStartAndJoin.class,
        reference = ReferenceStartAndJoin.class)
class StartAndJoinSpec {

    /** Bound for every wait in this spec; generous, because the machine may be busy. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * How long the threads wait for each other at the barrier. Started together, they meet within
     * milliseconds even on a loaded machine; a solution that runs them one after the other fails
     * after this long, once (the barrier stays broken for the others).
     */
    private static final Duration MEETING = Duration.ofSeconds(5);

    @Test
    void theTaskRunsOnceOnEachOfTheNewThreads(@Solution StartAndJoin solution) throws InterruptedException {
        Thread caller = Thread.currentThread();
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();

        solution.runAll(3, () -> {
            runs.incrementAndGet();
            ranOn.add(Thread.currentThread());
        }, Console.recording());

        assertThat(runs.get())
                .as("the task ran %d times for 3 threads: a thread runs its task only once start() is called", runs.get())
                .isEqualTo(3);
        assertThat(ranOn)
                .as("the task ran on the calling thread \"%s\": run() executes the body right here, on the caller; "
                        + "start() makes a new thread", caller.getName())
                .doesNotContain(caller);
        assertThat(ranOn).as("each run should be on a thread of its own").hasSize(3);
    }

    @Test
    void theThreadsRunAtTheSameTime(@Solution StartAndJoin solution) throws InterruptedException {
        Thread caller = Thread.currentThread();
        CyclicBarrier allRunning = new CyclicBarrier(3);
        AtomicInteger metTheOthers = new AtomicInteger();

        solution.runAll(3, () -> {
            if (Thread.currentThread() == caller) {
                throw new IllegalStateException("the task ran on the calling thread: run() executes the body "
                        + "right here, on the caller; start() makes a new thread");
            }
            try {
                allRunning.await(MEETING.toSeconds(), TimeUnit.SECONDS); // each waits until all 3 are here
                metTheOthers.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (BrokenBarrierException | TimeoutException e) {
                // the others never came (or an earlier thread gave up): counted as not meeting
            }
        }, Console.recording());

        assertThat(metTheOthers.get())
                .as("only %d of 3 threads found the others running at the same time: start every thread "
                        + "before joining any", metTheOthers.get())
                .isEqualTo(3);
    }

    @Test
    void threadsCompletedIsPrintedOnlyAfterEveryThreadHasFinished(@Solution StartAndJoin solution)
            throws InterruptedException {
        Console console = Console.recording();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        // Each task holds until the test releases it, so no task can finish before that moment.
        Runnable task = () -> {
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        };
        Thread caller = Thread.ofPlatform().name("caller").start(() -> {
            try {
                solution.runAll(2, task, console);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        // Release the tasks once the caller either waits (for the threads, as it should), or has
        // already printed or returned (too early): no timing involved, only states.
        await().atMost(PATIENCE).until(() -> caller.getState() == Thread.State.WAITING
                || caller.getState() == Thread.State.TIMED_WAITING
                || console.texts().contains("Threads completed.") || !caller.isAlive());
        boolean printedBeforeTheTasksCouldFinish = console.texts().contains("Threads completed.");
        release.countDown();
        caller.join(PATIENCE.toMillis());
        if (failure.get() != null) {
            throw new AssertionError(failure.get().getMessage(), failure.get());
        }

        assertThat(printedBeforeTheTasksCouldFinish)
                .as("\"Threads completed.\" was printed before the tasks could finish (they were still running "
                        + "or never started): join() each thread before printing")
                .isFalse();
        assertThat(finished.get()).as("the task finished %d times for 2 threads", finished.get()).isEqualTo(2);
        List<Console.Line> lines = console.lines();
        assertThat(lines).as("\"Threads completed.\" should be printed exactly once").extracting(Console.Line::text)
                .containsExactly("Threads completed.");
        assertThat(lines.get(0).thread()).as("the calling thread prints \"Threads completed.\"").isEqualTo("caller");
    }

    @Test
    void fewerThanOneThreadIsRefusedWithAClearError(@Solution StartAndJoin solution) {
        assertThatThrownBy(() -> solution.runAll(0, () -> { }, Console.recording()))
                .as("runAll(0, ...) should throw IllegalArgumentException saying what is wrong with threads=0")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thread")
                .hasMessageContaining("0");
    }
}
