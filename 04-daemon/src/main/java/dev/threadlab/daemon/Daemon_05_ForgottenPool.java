package dev.threadlab.daemon;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.daemon.harness.KeepAliveWatch;
import dev.threadlab.daemon.harness.ReturnFromMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Every task is done and {@code main} has returned. Why is the program still running?
 *
 * <p>Run: {@code ./mvnw -q -pl 04-daemon -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.daemon.Daemon_05_ForgottenPool}, then again with
 * {@code -Ddemo.args=--shutdown}.
 *
 * <p>{@code main} runs {@code --tasks} tasks on {@code Executors.newFixedThreadPool}, waits for
 * every result, and returns, without shutting the pool down unless {@code --shutdown} is given.
 * Before it returns it starts a {@link KeepAliveWatch}: a daemon thread that waits for
 * {@code main} to end and names the non-daemon threads still keeping the JVM alive.
 *
 * <p>What to observe (2 cores, JDK 25.0.3, a real run), without {@code --shutdown}:
 * <pre>
 * [   9 ms] pool-1-thread-1 task 1 done
 * [  22 ms] pool-1-thread-2 task 2 done
 * [  33 ms] main       all 2 tasks done; main returns now (pool NOT shut down)
 * [1044 ms] keep-alive-watch main has returned, but the JVM is still running. Kept alive by 2 non-daemon thread(s):
 * [1050 ms] keep-alive-watch   "pool-1-thread-1" WAITING in java.util.concurrent.LinkedBlockingQueue.take
 * [1052 ms] keep-alive-watch   "pool-1-thread-2" WAITING in java.util.concurrent.LinkedBlockingQueue.take
 * [1058 ms] keep-alive-watch diagnose from outside: jcmd 27773 Thread.print
 * [4062 ms] keep-alive-watch giving up after 3000 ms: System.exit(3)
 * </pre>
 * The pool's threads come from {@link Executors#defaultThreadFactory()}: user threads, idle in
 * {@code take()}, waiting for a task that never comes. With {@code --shutdown}, {@code main}
 * calls {@code shutdown()} and {@code awaitTermination(5 s)}; the workers end and the JVM exits
 * right after {@code main}, with status 0.
 *
 * <p>{@code main} returns here as in every demo of the module; the watcher's
 * {@code System.exit(3)} is on purpose, the demo's own way out of the hang it shows (nothing else
 * would end the program), and its status 3 says "kept alive". ({@code --give-up-ms 0} never gives
 * up: stop it with Ctrl-C, which is SIGINT and runs the shutdown hooks, like SIGTERM.)
 *
 * <p>Thread-safety: one run per instance; the console is thread-safe.
 */
@Command(
        name = "daemon-05",
        mixinStandardHelpOptions = true,
        description =
                "A thread pool that is never shut down keeps the JVM alive after main returns; a watcher names its threads.")
public final class Daemon_05_ForgottenPool implements Callable<Integer> {

    /** Exit status when the watcher gives up on a JVM kept alive. */
    public static final int KEPT_ALIVE_EXIT = 3;

    /** How long {@code --shutdown} waits for the pool to finish. */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", defaultValue = "2", description = "tasks to run, 1..1000 (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--pool-size", defaultValue = "2", description = "pool threads, 1..64 (default: ${DEFAULT-VALUE})")
    int poolSize;

    @Option(names = "--shutdown", description = "the fix: shut the pool down, with a bound, before main returns")
    boolean shutdown;

    @Option(
            names = "--grace-ms",
            defaultValue = "1000",
            description =
                    "how long the watcher lets non-daemon threads end before naming them, 0..60000 (default: ${DEFAULT-VALUE})")
    long graceMs;

    @Option(
            names = "--give-up-ms",
            defaultValue = "3000",
            description = "after naming them, exit with status 3 this much later; 0: never (default: ${DEFAULT-VALUE})")
    long giveUpMs;

    private Console console;
    private final Sleeper sleeper = Sleeper.real();

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
        console = new Console(spec.commandLine().getOut(), Ticker.system());
        Cli.require(spec, tasks >= 1 && tasks <= 1000, "--tasks must be between 1 and 1000, was %d", tasks);
        Cli.require(spec, poolSize >= 1 && poolSize <= 64, "--pool-size must be between 1 and 64, was %d", poolSize);
        Cli.require(spec, graceMs >= 0 && graceMs <= 60_000, "--grace-ms must be between 0 and 60000, was %d", graceMs);
        Cli.require(
                spec,
                giveUpMs >= 0 && giveUpMs <= 600_000,
                "--give-up-ms must be between 0 and 600000, was %d",
                giveUpMs);

        ExecutorService pool = Executors.newFixedThreadPool(poolSize); // default factory: user threads
        List<Future<?>> results = new ArrayList<>();
        for (int i = 1; i <= tasks; i++) {
            String task = "task " + i;
            results.add(pool.submit(() -> console.println(task + " done")));
        }
        for (Future<?> result : results) {
            result.get(); // every task accounted for before main goes on
        }
        if (shutdown) {
            pool.shutdown();
            boolean ended = pool.awaitTermination(SHUTDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            console.println("pool shut down; terminated within " + SHUTDOWN_BOUND.toSeconds() + " s: " + ended);
        }
        KeepAliveWatch.start(Thread.currentThread(), Duration.ofMillis(graceMs), this::report);
        console.println("all " + tasks + " tasks done; main returns now" + (shutdown ? "" : " (pool NOT shut down)"));
        return 0;
    }

    private void report(List<KeepAliveWatch.Culprit> culprits) {
        console.println("main has returned, but the JVM is still running. Kept alive by " + culprits.size()
                + " non-daemon thread(s):");
        culprits.forEach(c -> console.println("  " + c));
        console.println("diagnose from outside: jcmd " + ProcessHandle.current().pid() + " Thread.print");
        if (giveUpMs > 0) {
            try {
                sleeper.sleep(Duration.ofMillis(giveUpMs));
                console.println("giving up after " + giveUpMs + " ms: System.exit(" + KEPT_ALIVE_EXIT + ")");
                System.exit(KEPT_ALIVE_EXIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the demo; {@code main} returns (no {@code System.exit}) unless the arguments are bad. */
    public static void main(String[] args) {
        ReturnFromMain.run(new Daemon_05_ForgottenPool(), args);
    }
}
