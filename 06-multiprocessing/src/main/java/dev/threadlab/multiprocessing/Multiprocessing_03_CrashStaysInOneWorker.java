package dev.threadlab.multiprocessing;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.pool.Rendezvous;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Java threads already run CPU-bound work in parallel (module 05), so what does a process pool buy
 * a Java program? Isolation. What happens to the pool when one worker is killed with
 * {@code kill -9} in the middle of a task?
 *
 * <p>Run: {@code ./mvnw -q -pl 06-multiprocessing -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.multiprocessing.Multiprocessing_03_CrashStaysInOneWorker}
 *
 * <p>What to observe (2 cores, JDK 25.0.3):
 * <pre>
 * [  75 ms] main       workers: [28472, 28475]
 * [ 349 ms] main       the rendezvous task is running in worker pid 28472: kill -9 28472
 * [ 434 ms] main       its chunk failed: rendezvous(36299) failed: worker pid 28472 died with exit code 137 (killed by signal 9, SIGKILL) while running it
 * [ 511 ms] main       the pool goes on: squares of [1, 2, 3, 4] = [1, 4, 9, 16]
 * [ 515 ms] main       workers now: [28505, 28475] (pid 28472 was replaced)
 * </pre>
 * The task on the killed worker failed, with the worker's pid and exit code (137 = 128 + signal
 * 9); nothing else was lost, and a fresh JVM took the dead one's place. In one JVM a thread
 * cannot be killed like that, and whatever kills a thread's process (a crash in native code, an
 * {@code OutOfMemoryError} that leaves shared state half-updated, {@code Runtime.halt}) takes
 * every other thread with it.
 */
@Command(
        name = "multiprocessing-03",
        mixinStandardHelpOptions = true,
        description = "kill -9 a worker JVM mid-task: that task fails, the pool replaces the worker and goes on.")
public final class Multiprocessing_03_CrashStaysInOneWorker implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", description = "worker JVMs (1-16, default ${DEFAULT-VALUE})")
    private int workers;

    @Option(
            names = "--solution",
            defaultValue = "reference",
            converter = PoolMapChoice.Converter.class,
            description = PoolMapChoice.DESCRIPTION)
    private PoolMapChoice solution;

    @Override
    public Integer call() throws Exception {
        Cli.require(spec, workers >= 1 && workers <= 16, "--workers must be in 1..16, was %d", workers);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());

        try (ProcessPool pool = ProcessPool.start(workers, solution.create());
                Rendezvous rendezvous = Rendezvous.open()) {
            console.println("workers: " + pool.pids());
            CompletableFuture<List<Object>> victim = pool.submit("rendezvous", List.of(rendezvous.port()));
            long pid = rendezvous.awaitTask(Duration.ofSeconds(60));
            console.println("the rendezvous task is running in worker pid " + pid + ": kill -9 " + pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            try {
                ProcessPool.await(victim);
                throw new IllegalStateException("the killed worker's chunk finished; it should have failed");
            } catch (TaskFailedException failure) {
                console.println("its chunk failed: " + failure.getMessage());
            }
            console.println(
                    "the pool goes on: squares of [1, 2, 3, 4] = " + pool.map("square", List.of(1, 2, 3, 4), 1));
            console.println("workers now: " + pool.pids() + " (pid " + pid + " was replaced)");
        } catch (NotImplementedYet stub) {
            spec.commandLine().getErr().println(PoolMapChoice.notWrittenYet(stub));
            return 1;
        }
        return 0;
    }

    /** Usage: {@code [--workers N]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Multiprocessing_03_CrashStaysInOneWorker(), args);
    }
}
