package dev.threadlab.common.runner;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.Signals;

/**
 * Ctrl-C, wherever the runner is (a check, watch mode, the first build's wait): one line,
 * "threadlab: stopped (Ctrl-C)", on standard error, and exit code {@value #EXIT} (128 + SIGINT, as
 * a shell reports it). The JVM's shutdown hook ({@link Threadlab#leaveNothingBehind}) ends every
 * child JVM: a grading JVM, a spec's worker, a standby.
 *
 * <p>While a demo runs, Ctrl-C is the demo's: it gets the signal too (same terminal), reacts as it
 * was written to (a demo may be about exactly that), and the runner returns its exit code.
 */
final class Stop {

    /** The exit code after Ctrl-C. */
    static final int EXIT = 130;

    static final String MESSAGE = "threadlab: stopped (Ctrl-C)";

    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    private static volatile boolean childOwnsCtrlC;

    private Stop() {}

    /** Makes SIGINT call {@link #now()} (JLine's portable access to the JVM's signal handlers). */
    static void onCtrlC() {
        Signals.register("INT", () -> {
            if (!childOwnsCtrlC) {
                now();
            }
        });
    }

    /** Prints the one line (once, whoever calls) and exits with {@value #EXIT}; does not return. */
    static void now() {
        if (STOPPING.compareAndSet(false, true)) {
            System.out.flush();
            System.err.println();
            System.err.println(MESSAGE);
            System.err.flush();
        }
        System.exit(EXIT);
    }

    /** @return true once Ctrl-C was pressed: what is being printed is no longer wanted */
    static boolean stopping() {
        return STOPPING.get();
    }

    /** While {@code child} runs, Ctrl-C is its to handle (a demo). */
    static int leaveCtrlCTo(Process child) throws InterruptedException {
        childOwnsCtrlC = true;
        try {
            return child.waitFor();
        } finally {
            childOwnsCtrlC = false;
        }
    }
}
