package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 04.3 (the rules are in {@link AutoSaver}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 04.3}, or {@code ./mvnw -q -pl 04-daemon -am verify -Plearn};
 * take the hints one at a time with {@code ./threadlab hint 04.3}.
 */
public final class YourAutoSaver implements AutoSaver {

    @Override
    public void start(Path file, Duration closeBound) throws IOException {
        throw new NotImplementedYet("in YourAutoSaver.start, open the file, start a daemon thread that writes "
                + "saved records to it, and register a shutdown hook that calls close()");
    }

    @Override
    public void save(String record) {
        throw new NotImplementedYet("in YourAutoSaver.save, queue the record for the saver's thread, "
                + "or throw IllegalStateException if the saver is not running");
    }

    @Override
    public void close() {
        throw new NotImplementedYet("in YourAutoSaver.close, write and flush every accepted record, "
                + "then stop the saver's thread, waiting for it at most the bound given to start");
    }
}
