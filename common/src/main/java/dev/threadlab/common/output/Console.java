package dev.threadlab.common.output;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.time.Ticker;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jcip.annotations.ThreadSafe;

/**
 * Thread-tagged, time-stamped console output: every line says when (ms since the console was
 * made) and on which thread it was printed, so a reader can see threads interleave.
 *
 * <pre>
 * [   0 ms] worker-1   Number: 0
 * [   1 ms] worker-2   Number: 0
 * [1002 ms] worker-1   Number: 1
 * </pre>
 *
 * <p>Thread-safety: safe to call from many threads. Each line is formatted and written while
 * holding this console's lock, so lines never tear into each other and the recorded order
 * ({@link #lines()}) is the printed order. (A bare {@code System.out.println} is also atomic per
 * call, but the time stamp and the write would not be one step without the lock.)
 */
@ThreadSafe
public final class Console {

    /** One printed line: when (ns since the console started), which thread, what text. */
    public record Line(long elapsedNanos, String thread, String text) {
        /** @return elapsed time in whole ms */
        public long elapsedMillis() {
            return elapsedNanos / 1_000_000;
        }

        @Override
        public String toString() {
            return String.format("[%4d ms] %-10s %s", elapsedMillis(), thread, text);
        }
    }

    private final Consumer<String> out;
    private final Ticker ticker;
    private final long startNanos;

    @GuardedBy("this")
    private final List<Line> lines = new ArrayList<>();

    /**
     * @param out    where lines go; {@code null} to only record them (for tests)
     * @param ticker the time source; elapsed time is measured from this constructor call
     */
    public Console(PrintStream out, Ticker ticker) {
        this(out == null ? null : (Consumer<String>) out::println, ticker);
    }

    /**
     * @param out    where lines go (e.g. picocli's {@code spec.commandLine().getOut()}); {@code null}
     *               to only record them
     * @param ticker the time source; elapsed time is measured from this constructor call
     */
    public Console(PrintWriter out, Ticker ticker) {
        this(
                out == null
                        ? null
                        : (Consumer<String>) line -> {
                            out.println(line);
                            out.flush();
                        },
                ticker);
    }

    private Console(Consumer<String> out, Ticker ticker) {
        this.out = out;
        this.ticker = ticker;
        this.startNanos = ticker.nanoTime();
    }

    /** @return a console printing to {@code System.out}, timed by {@link System#nanoTime()} */
    public static Console stdout() {
        return new Console(System.out, Ticker.system());
    }

    /** @return a console that prints nothing and only records; read it with {@link #lines()} */
    public static Console recording() {
        return new Console((Consumer<String>) null, Ticker.system());
    }

    /** Prints {@code text} tagged with the calling thread's name and the elapsed time. */
    public void println(String text) {
        say(Thread.currentThread().getName(), text);
    }

    /** Prints {@code text} tagged with {@code thread}, for a line printed on another's behalf. */
    public synchronized void say(String thread, String text) {
        Line line = new Line(ticker.nanoTime() - startNanos, thread, text);
        lines.add(line);
        if (out != null) {
            out.accept(line.toString());
        }
    }

    /** @return a snapshot of every line printed so far, in printed order */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** @return the text of every line printed so far, in printed order, without tags */
    public synchronized List<String> texts() {
        return lines.stream().map(Line::text).toList();
    }
}
