package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
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
 * <p>What to observe (2 cores, JDK 25.0.3; the default handler's lines go to stderr):
 * <pre>
 * [   0 ms] main       1. no handler of our own: the JVM's default prints to stderr
 * Exception in thread "worker" java.lang.IllegalStateException: disk full
 *     at ... (the worker's stack trace)
 * [  21 ms] main          join() returned normally; isAlive() = false
 * [  23 ms] main          main learned: null
 * [  23 ms] main       2. with setUncaughtExceptionHandler(...)
 * [  26 ms] main          join() returned normally; isAlive() = false
 * [  27 ms] main          main learned: java.lang.IllegalStateException: disk full
 * </pre>
 * To learn of a failure, catch it in the thread and hand it over (this module's supervisor
 * exercise does that), or install a handler, as the second run does. The handler runs on the dying
 * thread before it ends, so what it stores is visible after {@code join()}.
 *
 * <p>Source followed: {@link Thread.UncaughtExceptionHandler}, {@link Thread#join()} (JDK 25
 * javadoc); CPython's {@code threading.excepthook} (Python 3.8+).
 */
@Command(name = "lifecycle-06", mixinStandardHelpOptions = true,
        description = "An exception in a thread never reaches join(): it goes to the thread's uncaught-exception handler.")
public final class Lifecycle_06_UncaughtException implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--message", defaultValue = "disk full", description = "the worker's exception message (default: ${DEFAULT-VALUE})")
    String message;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, !message.isBlank(), "--message must not be blank");
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());
        console.println("1. no handler of our own: the JVM's default prints to stderr");
        Throwable first = runFailingWorker(message, false, console);
        console.println("   main learned: " + first);
        console.println("2. with setUncaughtExceptionHandler(...)");
        Throwable second = runFailingWorker(message, true, console);
        console.println("   main learned: " + second);
        return 0;
    }

    /**
     * Starts a worker that throws {@code IllegalStateException(message)}, joins it, and tells what
     * reached {@code main}.
     *
     * @param installHandler true to give the worker a handler that keeps the exception; false to
     *                       leave the JVM's default (which prints {@code Exception in thread "worker" ...}
     *                       to stderr)
     * @param console        where main reports
     * @return the exception our handler received, or null when there was none; in no case does
     *         {@code join()} throw it
     * @throws InterruptedException if interrupted while joining
     */
    static Throwable runFailingWorker(String message, boolean installHandler, Console console)
            throws InterruptedException {
        AtomicReference<Throwable> received = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("worker").unstarted(() -> {
            throw new IllegalStateException(message);
        });
        if (installHandler) {
            worker.setUncaughtExceptionHandler((thread, e) -> received.set(e)); // runs on the dying worker
        }
        worker.start();
        worker.join(); // returns normally: the exception stayed in the worker's thread
        console.println("   join() returned normally; isAlive() = " + worker.isAlive());
        return received.get();
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_06_UncaughtException(), args);
    }
}
