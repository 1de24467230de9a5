package dev.threadlab.daemon.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what a program that may have been cut off left in a text file. A JVM that exits (or is
 * killed) in the middle of a write can leave a last line without its line break; such a torn
 * line is not counted as written.
 */
public final class LogFiles {

    private LogFiles() {}

    /**
     * The complete lines of {@code file}: those ending with {@code '\n'}, without it. A missing
     * file has none.
     *
     * @param file a UTF-8 text file
     * @return its complete lines, in file order
     * @throws IOException if the file exists but cannot be read
     */
    public static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }
}
