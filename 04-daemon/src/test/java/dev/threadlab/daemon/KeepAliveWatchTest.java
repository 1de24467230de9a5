package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.threadlab.daemon.harness.KeepAliveWatch;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The watch names non-daemon threads, where they wait, and nothing else. */
class KeepAliveWatchTest {

    @Test
    void aLiveUserThreadIsNamedWithWhereItWaitsAndADaemonIsNot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Runnable park = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread user = Thread.ofPlatform().name("a-user-thread").start(park);
        Thread daemon = Thread.ofPlatform().name("a-daemon-thread").daemon().start(park);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> user.getState() == Thread.State.WAITING);

            assertThat(KeepAliveWatch.nonDaemonThreadsAliveNow())
                    .anySatisfy(c -> {
                        assertThat(c.name()).isEqualTo("a-user-thread");
                        assertThat(c.where()).isEqualTo("java.util.concurrent.CountDownLatch.await");
                    })
                    .noneMatch(c -> c.name().equals("a-daemon-thread"))
                    .noneMatch(c -> c.name().equals(Thread.currentThread().getName()));
        } finally {
            release.countDown();
            user.join();
            daemon.join();
        }
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> KeepAliveWatch.start(Thread.currentThread(), Duration.ofMillis(-1), c -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }
}
