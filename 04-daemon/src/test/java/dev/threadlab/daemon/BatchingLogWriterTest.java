package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.threadlab.daemon.harness.LogFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log writer of demos 02 and 03: full batches go out as they fill; the last one only at close. */
class BatchingLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void theLastPartialBatchReachesTheFileOnlyWhenTheWriterIsClosed() throws Exception {
        Path file = dir.resolve("log.txt");
        BatchingLogWriter writer = new BatchingLogWriter(file, 64);
        try {
            assertThat(writer.thread().isDaemon())
                    .as("the log writer's thread is a daemon")
                    .isTrue();
            IntStream.rangeClosed(1, 100).forEach(i -> writer.log("line " + i));

            await().atMost(Duration.ofSeconds(30)).until(writer::written, w -> w == 64);
            assertThat(LogFiles.completeLines(file))
                    .as("only the full batch is written while the writer runs; the other 36 wait for its finally block")
                    .hasSize(64);
        } finally {
            assertThat(writer.close(Duration.ofSeconds(30)))
                    .as("close() should write every accepted line")
                    .isTrue();
        }
        assertThat(LogFiles.completeLines(file)).hasSize(100).endsWith("line 100");
        assertThat(writer.thread().isAlive())
                .as("close() waits for the writer to end")
                .isFalse();
    }

    @Test
    void aLineLoggedAfterCloseIsRefusedNotDropped() throws Exception {
        BatchingLogWriter writer = new BatchingLogWriter(dir.resolve("log.txt"), 8);
        writer.close(Duration.ofSeconds(30));

        assertThatThrownBy(() -> writer.log("late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused: late");
        assertThat(writer.accepted()).isZero();
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> new BatchingLogWriter(dir.resolve("log.txt"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1, was 0");
    }
}
