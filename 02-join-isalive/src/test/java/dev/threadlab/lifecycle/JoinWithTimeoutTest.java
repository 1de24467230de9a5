package dev.threadlab.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.lifecycle.Lifecycle_03_JoinWithTimeout.Answers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both timed-join styles answer "still running" for a worker the test holds, and "done" for one
 * that has ended; {@code join(Duration.ZERO)} never waits. The worker's "work" is a latch the test
 * holds, so the answers do not depend on how fast the machine is.
 */
class JoinWithTimeoutTest {

    private final CountDownLatch finishWork = new CountDownLatch(1);
    private final Console console = Console.recording();

    @AfterEach
    void letTheWorkerFinish() {
        finishWork.countDown();
    }

    @Test
    void bothStylesSayStillRunningWhileTheWorkerIsHeld() throws InterruptedException {
        Sleeper heldUntilReleased = duration -> finishWork.await();

        Background<Answers> main = Background.start(
                "main-of-demo",
                () -> Lifecycle_03_JoinWithTimeout.demonstrate(
                        Duration.ofHours(1), Duration.ofMillis(20), heldUntilReleased, console));
        await("the demo has asked join(Duration.ZERO)")
                .until(() -> console.texts().stream().anyMatch(t -> t.startsWith("join(Duration.ZERO)")));
        finishWork.countDown();
        Answers answers = main.join();

        assertThat(answers.aliveAfterPythonStyleJoin())
                .as("join(20) returned, then isAlive() said: still running")
                .isTrue();
        assertThat(answers.joinDurationSaidDone())
                .as("join(Duration) returned false: still running")
                .isFalse();
        assertThat(answers.joinZeroSaidDone())
                .as("join(Duration.ZERO) checked without waiting: still running")
                .isFalse();
        assertThat(answers.aliveAfterFullJoin())
                .as("after join() the worker has ended")
                .isFalse();
    }

    @Test
    void bothStylesSayDoneForAWorkerThatHasEnded() throws InterruptedException {
        Answers answers = Lifecycle_03_JoinWithTimeout.demonstrate(
                Duration.ZERO, Duration.ofSeconds(30), Sleeper.instant(), console);

        assertThat(answers.aliveAfterPythonStyleJoin())
                .as("join(30000) returned when the worker ended; isAlive() = false")
                .isFalse();
        assertThat(answers.joinDurationSaidDone())
                .as("join(Duration) returned true")
                .isTrue();
        assertThat(answers.joinZeroSaidDone())
                .as("join(Duration.ZERO) returned true")
                .isTrue();
    }
}
