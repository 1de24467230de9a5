package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How failures name their chunk: short enough to read, whatever the items. */
class TaskFailedExceptionTest {

    @Test
    void aChunkIsNamedByItsTaskAndItsFirstFiveItems() {
        assertThat(TaskFailedException.describe("square", List.of(3))).isEqualTo("square(3)");
        assertThat(TaskFailedException.describe("square", List.of(1, 2, 3))).isEqualTo("square on [1, 2, 3]");
        assertThat(TaskFailedException.describe("square", List.of(1, 2, 3, 4, 5, 6, 7)))
                .isEqualTo("square on [1, 2, 3, 4, 5, … 2 more]");
    }

    @Test
    void aLongItemIsCutToSixtyCharactersAndItsLength() {
        String huge = "x".repeat(20_000_000);

        assertThat(TaskFailedException.describe("echo", List.of(huge)))
                .isEqualTo("echo(" + "x".repeat(60) + "… (20000000 chars))");
        assertThat(TaskFailedException.describe("echo", List.of(huge, "y")))
                .isEqualTo("echo on [" + "x".repeat(60) + "… (20000000 chars), y]");
        assertThat(TaskFailedException.describe("echo", List.of("x".repeat(60))))
                .as("60 characters are shown whole")
                .isEqualTo("echo(" + "x".repeat(60) + ")");
    }
}
