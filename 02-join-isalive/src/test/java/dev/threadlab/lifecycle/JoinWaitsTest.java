package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.lifecycle.Lifecycle_02_JoinWaits.Squares;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code join()} waits for the worker and publishes its writes; reading without it sees whatever
 * is there. The worker is held half-way by a scripted sleeper, so "half-way" is certain, not likely.
 */
class JoinWaitsTest {

    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);
    private final AtomicInteger pauses = new AtomicInteger();

    /** Returns at once, except the second pause (after square 2), which waits until the test resumes it. */
    private final Sleeper holdAfterTwo = duration -> {
        if (pauses.incrementAndGet() == 2) {
            paused.countDown();
            resume.await();
        }
    };

    private final Console console = Console.recording();

    @AfterEach
    void letTheWorkerFinish() {
        resume.countDown();
    }

    @Test
    void readingWithoutJoinSeesAHalfWrittenTable() throws InterruptedException {
        Squares squares = new Squares(5);
        Thread worker = Lifecycle_02_JoinWaits.startFilling(squares, Duration.ofSeconds(1), holdAfterTwo, console);
        paused.await(); // the worker has written 2 squares and is held in its second pause

        int seen = Lifecycle_02_JoinWaits.peekWithoutJoin(squares, worker, console);

        assertThat(seen)
                .as("without join, main read the table while the worker was still writing it")
                .isEqualTo(2);
        assertThat(worker.isAlive()).as("the worker is still running").isTrue();
        resume.countDown();
        worker.join();
    }

    @Test
    void joinReturnsOnlyAfterTheWorkerFinishedAndThenEveryWriteIsVisible() throws InterruptedException {
        Squares squares = new Squares(5);
        Thread worker = Lifecycle_02_JoinWaits.startFilling(squares, Duration.ofSeconds(1), holdAfterTwo, console);
        paused.await();
        Background<long[]> reader =
                Background.start("reader", () -> Lifecycle_02_JoinWaits.readAfterJoin(squares, worker, console));

        await("the reader waits in join() while the worker is held")
                .until(() -> reader.thread().getState() == Thread.State.WAITING);
        assertThat(reader.thread().isAlive())
                .as("join() must not return while the worker runs")
                .isTrue();
        resume.countDown();

        assertThat(reader.join())
                .as("after join(), all 5 squares the worker wrote are visible")
                .containsExactly(1, 4, 9, 16, 25);
        assertThat(worker.isAlive())
                .as("join() returned, so the worker has ended")
                .isFalse();
    }
}
