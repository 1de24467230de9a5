package dev.threadlab.daemon.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import net.jcip.annotations.ThreadSafe;

/**
 * A file whose writes get stuck until the test says so, like a disk that stalls: a named pipe
 * ({@code mkfifo}) that nobody reads. A saver writing to it fills the pipe's buffer (64 KiB on
 * Linux) and then blocks in {@code write()}, for as long as the test likes; {@link #drain()}
 * starts reading, and everything written is then collected in order; {@link #linesWrittenSoFar()}
 * tells what had been written when it was called, never what came later.
 *
 * <p>Thread-safety: safe from any thread; one drainer thread reads.
 */
@ThreadSafe
final class StuckFile implements AutoCloseable {

    private final Path path;
    private final FileChannel pipe;

    @GuardedBy("this")
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @GuardedBy("this")
    private Thread drainer;

    private StuckFile(Path path, FileChannel pipe) {
        this.path = path;
        this.pipe = pipe;
    }

    /** Makes a named pipe at {@code path}, open for reading (nothing reads it yet). */
    static StuckFile create(Path path) throws IOException, InterruptedException {
        mkfifo(path);
        // Opened for reading and writing, a pipe does not wait for a writer (Linux, macOS), and a
        // saver that opens it for writing does not wait for a reader; nor does it ever see EOF.
        return new StuckFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** Makes a named pipe at {@code path}. */
    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mkfifo.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed (the grading needs a POSIX system): " + said);
        }
    }

    Path path() {
        return path;
    }

    /** Fails if the saver's start() replaced the pipe by a new regular file (then nothing gets stuck). */
    void assertStillAPipe() {
        if (Files.isRegularFile(path)) {
            throw new AssertionError("start() replaced the file it was given by a new one (deleted and created it?); "
                    + "the grading needs start() to open the path it is given for writing, which creates or empties "
                    + "it: Files.newBufferedWriter(file)");
        }
    }

    /** Starts reading: a writer stuck on the full pipe carries on. */
    synchronized void drain() {
        if (drainer == null) {
            drainer = Thread.ofPlatform().name("stuck-file-drainer").start(this::readUntilClosed);
        }
    }

    /**
     * The complete lines written to the pipe before this call: it drains the pipe, writes an end
     * marker into it (behind everything written so far) and reads up to the marker.
     *
     * @throws AssertionError if the marker has not come through within {@code bound}
     */
    List<String> linesWrittenSoFar(Duration bound) throws IOException, InterruptedException {
        drain();
        String end = "<<end marker " + System.nanoTime() + ">>";
        try (OutputStream marker = new FileOutputStream(path.toFile())) {
            marker.write(("\n" + end + "\n").getBytes(StandardCharsets.UTF_8));
        }
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (this) {
            while (!received.toString(StandardCharsets.UTF_8).contains(end)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the grading could not read back the named pipe within "
                            + bound.toSeconds() + " s (is something else reading it?)");
                }
                wait(Math.max(1, left / 1_000_000));
            }
            String text = received.toString(StandardCharsets.UTF_8);
            String before = text.substring(0, text.indexOf(end) - 1); // without the marker's own line break
            int lastBreak = before.lastIndexOf('\n');
            return lastBreak < 0
                    ? List.of()
                    : List.of(before.substring(0, lastBreak).split("\n", -1));
        }
    }

    private void readUntilClosed() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try {
            while (pipe.read(buffer.clear()) >= 0) {
                synchronized (this) {
                    received.write(buffer.array(), 0, buffer.position());
                    notifyAll();
                }
            }
        } catch (IOException closed) {
            // close() closed the pipe under the drainer: done
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Thread reader;
        synchronized (this) {
            reader = drainer;
        }
        // Unlink first, while this end is still open: a saver that opens the path again gets
        // NoSuchFileException instead of blocking in open() for want of a reader, and one stuck in
        // write() gets "Broken pipe" once this end closes; either way its thread ends.
        Files.deleteIfExists(path);
        pipe.close();
        if (reader != null) {
            reader.join(Duration.ofSeconds(5));
        }
    }
}
