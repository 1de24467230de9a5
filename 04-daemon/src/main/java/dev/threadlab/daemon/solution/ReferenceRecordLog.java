package dev.threadlab.daemon.solution;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.daemon.exercise.RecordLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jcip.annotations.ThreadSafe;

/**
 * SPOILER: the reference solution of exercise 04.2. A {@link BufferedWriter} behind one lock; a
 * shutdown hook that calls {@link #close()}; {@code close()} closes the writer (which flushes it)
 * once, and removes the hook unless it is running as the hook.
 */
@ThreadSafe
public final class ReferenceRecordLog implements RecordLog {

    @GuardedBy("this")
    private BufferedWriter out;

    @GuardedBy("this")
    private Thread hook;

    @Override
    public synchronized void open(Path file) throws IOException {
        if (out != null) {
            throw new IllegalStateException("already open");
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        hook = Thread.ofPlatform().name("record-log-flush").unstarted(this::close);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public synchronized void append(String record) {
        if (out == null) {
            throw new IllegalStateException("not open, or closed");
        }
        try {
            out.write(record);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return; // never opened, or already closed
        }
        try {
            out.close(); // flushes the buffer first
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out = null;
            if (hook != Thread.currentThread()) { // the hook cannot remove itself: the JVM is shutting down
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shutdownInProgress) {
                    // closed by main while the JVM was shutting down: the hook will find the log closed
                }
            }
        }
    }
}
