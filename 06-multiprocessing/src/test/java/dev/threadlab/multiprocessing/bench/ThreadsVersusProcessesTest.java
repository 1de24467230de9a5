package dev.threadlab.multiprocessing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.multiprocessing.pool.Tasks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's I/O-bound server answers each request with its own path, and the benchmark says
 * when its numbers are not worth comparing.
 */
class ThreadsVersusProcessesTest {

    @Test
    void theSlowServerAnswersEachGetWithItsPath() throws Exception {
        try (SlowLoopbackServer server = SlowLoopbackServer.start(Duration.ZERO)) {
            assertThat(server.url("/request-3")).startsWith("http://127.0.0.1:");
            assertThat(Tasks.httpGet(server.url("/request-3"))).isEqualTo("/request-3");
            assertThat(Tasks.lookup("httpGet").run(server.url("/request-4"))).isEqualTo("/request-4");
        }
    }
}
