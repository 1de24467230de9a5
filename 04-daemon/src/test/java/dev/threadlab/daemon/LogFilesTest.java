package dev.threadlab.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.daemon.harness.LogFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void aLineTornByAnAbruptExitIsNotCounted() throws Exception {
        Path file = Files.writeString(dir.resolve("log.txt"), "one\n\nthree\nfou");

        assertThat(LogFiles.completeLines(file)).containsExactly("one", "", "three");
    }

    @Test
    void aMissingOrEmptyFileHasNoLines() throws Exception {
        assertThat(LogFiles.completeLines(dir.resolve("missing.txt"))).isEmpty();
        assertThat(LogFiles.completeLines(Files.writeString(dir.resolve("empty.txt"), "")))
                .isEmpty();
    }
}
