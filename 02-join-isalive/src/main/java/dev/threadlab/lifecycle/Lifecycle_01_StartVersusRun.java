package dev.threadlab.lifecycle;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Which thread runs the body: {@code run()} or {@code start()}? And can a thread start twice?
 *
 * <p>Run: {@code ./mvnw -q -pl 02-join-isalive -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.lifecycle.Lifecycle_01_StartVersusRun}
 *
 * <p>What to observe (2 cores, JDK 25.0.3); the second column is the thread that printed:
 * <pre>
 * [   1 ms] main       run(): calling the body like any method
 * [  13 ms] main       body: hello from the body
 * [  13 ms] main       start(): asking for a new thread
 * [  17 ms] worker     body: hello from the body
 * [  18 ms] main       start() again: java.lang.IllegalThreadStateException (a thread runs once)
 * </pre>
 * {@code run()} is an ordinary method call: the body runs on {@code main}, and nothing is
 * concurrent. {@code start()} asks the JVM for a new OS thread, which calls {@code run()} there.
 * A thread runs once: a second {@code start()} throws, as CPython's raises
 * {@code RuntimeError: threads can only be started once}.
 *
 * <p>Source followed: {@link Thread#start()} and {@link Thread#run()} (JDK 25 javadoc), CPython's
 * {@code Lib/threading.py} ({@code Thread.start}, {@code Thread.run}).
 */
@Command(
        name = "lifecycle-01",
        mixinStandardHelpOptions = true,
        description = "run() runs the body on the caller's thread, start() on a new one; a thread starts once.")
public final class Lifecycle_01_StartVersusRun implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--name",
            defaultValue = "worker",
            description = "name of the new thread, not the caller's (default: ${DEFAULT-VALUE})")
    String name;

    /** What happened, for a test: who ran the body each time, and what the second start() threw. */
    public record Report(String ranOnRun, String ranOnStart, RuntimeException secondStart) {}

    @Override
    public Integer call() throws InterruptedException {
        String caller = Thread.currentThread().getName();
        Cli.require(spec, !name.isBlank(), "--name must not be blank");
        Cli.require(
                spec,
                !name.equals(caller),
                "--name must differ from the caller's thread name \"%s\", or run() and start() look alike",
                caller);
        demonstrate(name, new Console(spec.commandLine().getOut(), Ticker.system()));
        return 0;
    }

    /**
     * Calls the body with {@code run()}, then {@code start()}s it, then tries to start it again.
     *
     * @param name    the new thread's name
     * @param console where each step and the body print, tagged with their thread
     * @return who ran the body each time, and the second start's exception (null if none)
     * @throws InterruptedException if interrupted while joining the thread
     */
    // Error Prone's DoNotCall flags thread.run(): calling it on purpose, to show it runs on the caller, is this lesson.
    @SuppressWarnings("DoNotCall")
    public static Report demonstrate(String name, Console console) throws InterruptedException {
        String[] ranOn = new String[1]; // written by the body, read after run() or join(): no race
        Thread thread = new Thread(
                () -> {
                    ranOn[0] = Thread.currentThread().getName();
                    console.println("body: hello from the body");
                },
                name);

        console.println("run(): calling the body like any method");
        thread.run();
        String onRun = ranOn[0];

        console.println("start(): asking for a new thread");
        thread.start();
        thread.join();
        String onStart = ranOn[0];

        RuntimeException second = null;
        try {
            thread.start();
        } catch (IllegalThreadStateException e) {
            second = e;
            console.println("start() again: " + e + " (a thread runs once)");
        }
        return new Report(onRun, onStart, second);
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        Cli.exit(new Lifecycle_01_StartVersusRun(), args);
    }
}
