package dev.threadlab.multiprocessing;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.pool.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A thread changes a static counter, and this JVM sees the change. A worker process changes the
 * same static counter: does this JVM see that?
 *
 * <p>Run: {@code ./mvnw -q -pl 06-multiprocessing -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.multiprocessing.Multiprocessing_01_SeparateMemory}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [ 103 ms] main       a thread of this JVM ran incrementCounter 3 times and saw [1, 2, 3]
 * [ 117 ms] main       this JVM's counter: 3 (the thread's writes are ours: one process, one memory)
 * [ 548 ms] main       worker pid 27142 ran incrementCounter 3 times and saw [1, 2, 3]
 * [ 594 ms] main       this JVM's counter: still 3 (the worker counted in its own copy of Tasks)
 * </pre>
 * The worker JVM loaded its own {@code Tasks} class, with its own static counter starting at 0: a
 * process has its own memory. Module 01's threads appended to one shared list; worker processes
 * share nothing, so whatever they compute must travel back through the pipe (here the results
 * {@code [1, 2, 3]}). CPython's {@code multiprocessing} behaves the same way: a global changed in
 * a {@code Pool} worker is unchanged in the parent.
 */
@Command(
        name = "multiprocessing-01",
        mixinStandardHelpOptions = true,
        description = "A static counter changed by a thread is shared; changed by a worker JVM it is not.")
public final class Multiprocessing_01_SeparateMemory implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--increments",
            defaultValue = "3",
            description = "how many times each side increments (1-1000, default ${DEFAULT-VALUE})")
    private int increments;

    @Override
    public Integer call() throws Exception {
        Cli.require(spec, increments >= 1 && increments <= 1000, "--increments must be in 1..1000, was %d", increments);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());

        List<Object> seenByThread = new ArrayList<>();
        Thread thread = Thread.ofPlatform().name("incrementer").start(() -> {
            for (int i = 0; i < increments; i++) {
                try {
                    seenByThread.add(Tasks.lookup("incrementCounter").run(null));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        thread.join(); // join: the thread's writes to seenByThread happen-before our reads
        console.println("a thread of this JVM ran incrementCounter " + increments + " times and saw " + seenByThread);
        long before = Tasks.counter();
        console.println("this JVM's counter: " + before + " (the thread's writes are ours: one process, one memory)");

        try (ProcessPool pool = ProcessPool.start(1)) {
            List<Object> seenByWorker = new ArrayList<>();
            for (int i = 0; i < increments; i++) {
                seenByWorker.add(pool.apply("incrementCounter", null));
            }
            console.println("worker pid " + pool.pids().get(0) + " ran incrementCounter " + increments
                    + " times and saw " + seenByWorker);
        }
        long after = Tasks.counter();
        console.println("this JVM's counter: " + (after == before ? "still " : "changed?! ") + after
                + " (the worker counted in its own copy of Tasks)");
        return 0;
    }

    /** Usage: {@code [--increments N]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Multiprocessing_01_SeparateMemory(), args);
    }
}
