package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A worker throws. Does {@code join()} throw too? No: the exception ends the worker's thread and
 * goes to that thread's {@link Thread.UncaughtExceptionHandler} (CPython: {@code threading.excepthook}),
 * which by default prints it. {@code join()} returns normally, and {@code main} knows nothing.
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.Lifecycle_06_UncaughtException}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [   0 ms] main       1. as with no handler of our own: the default prints it, and that is all
 * Exception in thread "worker" java.lang.IllegalStateException: disk full
 *     at dev.threadlab.lifecycle.Lifecycle_06_UncaughtException.lambda$runFailingWorker$0(...)
 *     at java.base/java.lang.Thread.run(Thread.java:1474)
 * [  65 ms] main          join() returned normally; isAlive() = false
 * [  65 ms] main          main learned: null
 * [  65 ms] main       2. with setUncaughtExceptionHandler(...) that keeps it
 * [  73 ms] main          join() returned normally; isAlive() = false
 * [  73 ms] main          main learned: java.lang.IllegalStateException: disk full
 * </pre>
 * The first run prints exactly what the JVM's default prints (its thread group's
 * {@code uncaughtException}: {@code Exception in thread "worker" } and the stack trace), but to the
 * demo's own output instead of stderr. The real default writes to stderr, and Maven (or an IDE)
 * relays stderr and stdout separately, so the trace could land after lines printed later; printed
 * on stdout, it stays where it happened.
 * To learn of a failure, catch it in the thread and hand it over (this module's supervisor
 * exercise does that), or install a handler, as the second run does. The handler runs on the dying
 * thread before it ends, so what it stores is visible after {@code join()}.
 *
 * <p>Source followed: {@link Thread.UncaughtExceptionHandler}, {@link Thread#join()} (JDK 25
 * javadoc); CPython's {@code threading.excepthook} (Python 3.8+).
 */
@Command(
        name = "lifecycle-06",
        mixinStandardHelpOptions = true,
        description =
                "An exception in a thread never reaches join(): it goes to the thread's uncaught-exception handler.")
public final class Lifecycle_06_UncaughtException implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--message",
            defaultValue = "disk full",
            description = "the worker's exception message (default: ${DEFAULT-VALUE})")
    String message;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, !message.isBlank(), "--message must not be blank");
        PrintWriter out = spec.commandLine().getOut();
        Console console = new Console(out, Ticker.system());
        console.println("1. as with no handler of our own: the default prints it, and that is all");
        Throwable first = runFailingWorker(message, printsLikeTheDefault(out), console);
        console.println("   main learned: " + first);
        console.println("2. with setUncaughtExceptionHandler(...) that keeps it");
        Throwable second = runFailingWorker(message, null, console);
        console.println("   main learned: " + second);
        return 0;
    }

    /**
     * Starts a worker that throws {@code IllegalStateException(message)}, joins it, and tells what
     * reached {@code main}.
     *
     * @param printer a handler that only prints, as the JVM's default does; null to give the worker
     *                a handler that keeps the exception for main
     * @param console where main reports
     * @return the exception our keeping handler received, or null when the printer had it; in no
     *         case does {@code join()} throw it
     * @throws InterruptedException if interrupted while joining
     */
    static Throwable runFailingWorker(String message, Thread.UncaughtExceptionHandler printer, Console console)
            throws InterruptedException {
        AtomicReference<Throwable> received = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("worker").unstarted(() -> {
            throw new IllegalStateException(message);
        });
        if (printer == null) {
            worker.setUncaughtExceptionHandler((thread, e) -> received.set(e)); // runs on the dying worker
        } else {
            worker.setUncaughtExceptionHandler(printer); // without this line: the same lines, on stderr
        }
        worker.start();
        worker.join(); // returns normally: the exception stayed in the worker's thread
        console.println("   join() returned normally; isAlive() = " + worker.isAlive());
        return received.get();
    }

    /**
     * @return a handler doing what the JVM's default does for a thread without one (its thread
     *         group's {@code uncaughtException}), but printing to {@code out} rather than stderr
     */
    static Thread.UncaughtExceptionHandler printsLikeTheDefault(PrintWriter out) {
        return (thread, e) -> {
            out.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(out);
            out.flush();
        };
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_06_UncaughtException(), args);
    }
}
