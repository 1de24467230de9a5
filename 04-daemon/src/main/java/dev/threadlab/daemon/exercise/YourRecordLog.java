package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.io.IOException;
import java.nio.file.Path;

/**
 * YOUR SOLUTION GOES HERE: exercise 04.2 (the rules are in {@link RecordLog}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 04.2}, or {@code ./mvnw -q -pl 04-daemon -am verify -Plearn};
 * take the hints one at a time with {@code ./threadlab hint 04.2}.
 */
public final class YourRecordLog implements RecordLog {

    @Override
    public void open(Path file) throws IOException {
        throw new NotImplementedYet("in YourRecordLog.open, open a BufferedWriter on the file and register a "
                + "shutdown hook that flushes it");
    }

    @Override
    public void append(String record) {
        throw new NotImplementedYet("in YourRecordLog.append, write the record and a line break to the writer");
    }

    @Override
    public void close() {
        throw new NotImplementedYet("in YourRecordLog.close, close the writer and remove the shutdown hook "
                + "(unless close() runs as the hook)");
    }
}
