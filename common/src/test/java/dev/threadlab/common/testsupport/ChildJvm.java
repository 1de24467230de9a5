package dev.threadlab.common.testsupport;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.process.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import net.jcip.annotations.ThreadSafe;

/**
 * A child JVM under test: one of this program's classes run by the same {@code java} with the same
 * class path ({@link JavaProcess}), its stdout and stderr merged and collected line by line, and
 * bounded waits that fail with everything needed to see why: the child's output so far and a
 * thread dump of the child taken with {@code jcmd <pid> Thread.print} while it is still alive.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(DaemonDemo.class, List.of(), "--daemon")) {
 *     child.awaitLine("main returns", Duration.ofSeconds(20));
 *     assertThat(child.awaitExit(Duration.ofSeconds(20))).isZero();
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills the child if it is still running and waits until it is gone, so no
 * process outlives the test (which common's {@link ThreadGuard} would also report).
 *
 * <p>Thread-safety: safe to use from several threads; output is collected by one reader thread.
 */
@ThreadSafe
public final class ChildJvm implements AutoCloseable {

    /** How long {@link #close()} and the thread dump wait for a process to end, at most. */
    private static final Duration CLEANUP = Duration.ofSeconds(20);

    private final Process process;
    private final Thread reader;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    @GuardedBy("lock")
    private final List<String> lines = new ArrayList<>();

    @GuardedBy("lock")
    private boolean endOfOutput;

    private ChildJvm(Process process, String description) {
        this.process = process;
        this.description = description;
        this.reader =
                Thread.ofPlatform().name("child-" + process.pid() + "-output").start(this::readOutput);
    }

    /**
     * Starts {@code java [jvmOptions] -cp <class path> mainClass args}.
     *
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... args) {
        ProcessBuilder builder =
                JavaProcess.builder(mainClass, jvmOptions, args).redirectErrorStream(true);
        try {
            return new ChildJvm(builder.start(), mainClass.getSimpleName() + " " + String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM for " + mainClass.getName(), e);
        }
    }

    /** @return the underlying process (to send signals: {@code destroy()} is SIGTERM on Unix) */
    public Process process() {
        return process;
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return a snapshot of the lines the child has printed so far (stdout and stderr merged) */
    public List<String> output() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the child prints a line containing {@code marker}.
     *
     * @return that line
     * @throws AssertionError if the child ends or {@code timeout} passes first, with its output
     *                        and (if it is still alive) its thread dump
     */
    public String awaitLine(String marker, Duration timeout) throws InterruptedException {
        return awaitLine(line -> line.contains(marker), "a line containing \"" + marker + "\"", timeout);
    }

    /** Like {@link #awaitLine(String, Duration)} for any condition, described for the failure message. */
    public String awaitLine(Predicate<String> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                if (endOfOutput) {
                    throw failure("the child ended its output without printing " + what);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failure("the child did not print " + what + " within " + timeout.toMillis() + " ms");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @return its exit code
     * @throws AssertionError if it is still running after {@code timeout}, with its output and a
     *                        thread dump showing what keeps it alive
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw failure("the child JVM is still running " + timeout.toMillis() + " ms later");
        }
        reader.join(CLEANUP.toMillis());
        return process.exitValue();
    }

    /** @return true if the child exits within {@code timeout} (no failure either way) */
    public boolean exitsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The child's thread dump, from {@code jcmd <pid> Thread.print} of the JDK running this JVM.
     *
     * @return the dump, or a sentence saying why there is none (the child ended; no jcmd)
     */
    public String threadDump() {
        if (!process.isAlive()) {
            return "(no thread dump: the child has ended)";
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            byte[] text = dump.getInputStream().readAllBytes();
            if (!dump.waitFor(CLEANUP.toMillis(), TimeUnit.MILLISECONDS)) {
                dump.destroyForcibly().waitFor();
            }
            return new String(text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    private AssertionError failure(String what) {
        String dump = threadDump();
        return new AssertionError(what + " [" + description + ", pid " + process.pid() + "]\n"
                + "--- child output ---\n" + String.join("\n", output()) + "\n"
                + "--- child thread dump (non-daemon threads keep a JVM alive) ---\n" + dump);
    }

    /**
     * Kills the child if it still runs (SIGKILL) and waits until it and its output reader are gone.
     * If the calling thread is interrupted meanwhile, it stops waiting and keeps its interrupt flag
     * set (close() declares no InterruptedException, so try-with-resources stays warning-free).
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(CLEANUP.toMillis(), TimeUnit.MILLISECONDS);
            reader.join(CLEANUP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lock.lock();
                try {
                    lines.add(line);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // the stream closed because the child was killed: the output ends here
        } finally {
            lock.lock();
            try {
                endOfOutput = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
