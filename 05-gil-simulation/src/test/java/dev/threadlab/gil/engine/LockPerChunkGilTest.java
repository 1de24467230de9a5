package dev.threadlab.gil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.threadlab.common.timeline.Timeline;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The naive GILs still exclude: a chunk never starts while another thread's chunk runs (forced interleaving). */
class LockPerChunkGilTest {

    static Stream<Arguments> naiveGils() {
        return Stream.of(
                Arguments.of("fair ReentrantLock", (Function<Timeline, LockPerChunkGil>) LockPerChunkGil::fair),
                Arguments.of("unfair ReentrantLock", (Function<Timeline, LockPerChunkGil>) LockPerChunkGil::unfair),
                Arguments.of("synchronized", (Function<Timeline, LockPerChunkGil>) LockPerChunkGil::monitor));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("naiveGils")
    void aChunkWaitsUntilTheOtherThreadsChunkHasEnded(String name, Function<Timeline, LockPerChunkGil> kind)
            throws InterruptedException {
        Timeline timeline = Timeline.system();
        LockPerChunkGil gil = kind.apply(timeline);
        CountDownLatch firstIsInside = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        AtomicBoolean firstFinished = new AtomicBoolean();
        AtomicBoolean secondRanWhileFirstInside = new AtomicBoolean();
        Thread first = Thread.ofPlatform()
                .name("worker-1")
                .start(() -> run(gil, () -> {
                    firstIsInside.countDown();
                    awaitQuietly(letFirstFinish);
                    firstFinished.set(true);
                }));
        firstIsInside.await();
        Thread second = Thread.ofPlatform()
                .name("worker-2")
                .start(() -> run(gil, () -> secondRanWhileFirstInside.set(!firstFinished.get())));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> second.getState() == Thread.State.BLOCKED
                        || second.getState() == Thread.State.WAITING
                        || !second.isAlive());
        letFirstFinish.countDown();
        first.join();
        second.join();

        assertThat(secondRanWhileFirstInside)
                .as("%s: worker-2's chunk ran while worker-1's chunk held the GIL", name)
                .isFalse();
        assertThat(gil.handOffs()).as("worker-1 -> worker-2 is one hand-off").isEqualTo(1);
        assertThat(timeline.eventsOf("worker-1"))
                .extracting(Timeline.Event::state)
                .as("worker-1's lane starts running and, once ended, shows nothing more (whether worker-2 took "
                        + "the lock before or after worker-1 detached is the scheduler's choice)")
                .startsWith(Timeline.State.RUNNING)
                .endsWith(Timeline.State.ENDED);
    }

    private static void run(Gil gil, Runnable chunk) {
        try {
            gil.attach();
            gil.runBytecode(chunk);
            gil.detach();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
