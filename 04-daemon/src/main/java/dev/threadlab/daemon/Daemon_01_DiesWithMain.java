package dev.threadlab.daemon;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.daemon.harness.ReturnFromMain;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lesson's sentence, run: "Use {@code daemon=True} when creating a thread to make it a
 * background thread, which exits when the main program exits." Does it? And what does a
 * non-daemon ("user") thread do instead?
 *
 * <p>Run (from the repository root):
 * {@code ./mvnw -q -pl 04-daemon -am process-test-classes -Pdemo -Ddemo.args="--kind daemon"}, then
 * again with {@code --kind user}.
 *
 * <p>A worker thread ticks every {@code --tick-ms}. {@code main} waits for its first
 * {@code --ticks} ticks, then returns. A shutdown hook prints when the JVM begins to exit.
 *
 * <p>What to observe (2 cores, JDK 25.0.3, a real run), {@code --kind daemon}:
 * <pre>
 * [   6 ms] worker     tick 1
 * [  21 ms] main       started worker (daemon=true)
 * [ 221 ms] worker     tick 2
 * [ 422 ms] worker     tick 3
 * [ 426 ms] main       worker ticked 3 times; main returns now
 * [ 429 ms] shutdown-hook JVM exits now; worker alive=true, daemon=true
 * </pre>
 * The JVM exits as soon as {@code main} returns, in the middle of the worker's loop: the
 * worker's {@code finally} block never prints. With {@code --kind user}:
 * <pre>
 * [   5 ms] worker     tick 1
 * [  31 ms] main       started worker (daemon=false)
 * [ 235 ms] worker     tick 2
 * [ 466 ms] worker     tick 3
 * [ 479 ms] main       worker ticked 3 times; main returns now
 * [ 666 ms] worker     main has ended (main.isAlive() = false); this user thread keeps the JVM running
 * [ 667 ms] worker     tick 4
 * [ 867 ms] worker     tick 5
 * [1068 ms] worker     tick 6
 * [1268 ms] worker     finally block ran; worker ends
 * [1278 ms] shutdown-hook JVM exits now; worker alive=false, daemon=false
 * </pre>
 * The JVM waits for the user thread, however long it runs, and exits only after it ends.
 *
 * <p>Thread-safety: one run per instance; the console is thread-safe.
 */
@Command(
        name = "daemon-01",
        mixinStandardHelpOptions = true,
        description =
                "A worker thread ticks; main returns after its first ticks. Daemon: the JVM exits at once. User: the JVM waits for it.")
public final class Daemon_01_DiesWithMain implements Callable<Integer> {

    /** The two kinds of thread. */
    enum Kind {
        daemon,
        user
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--kind",
            defaultValue = "daemon",
            description = "daemon or user: the kind of the worker thread (default: ${DEFAULT-VALUE})")
    Kind kind;

    @Option(
            names = "--ticks",
            defaultValue = "3",
            description =
                    "ticks before main returns (a user worker then makes as many more), 1..1000 (default: ${DEFAULT-VALUE})")
    int ticks;

    @Option(
            names = "--tick-ms",
            defaultValue = "200",
            description = "pause between ticks in ms, 0..10000 (default: ${DEFAULT-VALUE})")
    long tickMs;

    private final Sleeper sleeper = Sleeper.real();
    private Console console;

    @Override
    public Integer call() throws InterruptedException {
        Cli.require(spec, ticks >= 1 && ticks <= 1000, "--ticks must be between 1 and 1000, was %d", ticks);
        Cli.require(spec, tickMs >= 0 && tickMs <= 10_000, "--tick-ms must be between 0 and 10000, was %d", tickMs);

        console = new Console(spec.commandLine().getOut(), Ticker.system());
        Thread main = Thread.currentThread();
        CountDownLatch firstTicks = new CountDownLatch(ticks);
        // The builder sets daemon status before start(), the only time it may be set.
        Thread worker =
                Thread.ofPlatform().name("worker").daemon(kind == Kind.daemon).unstarted(() -> work(main, firstTicks));
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform()
                        .name("shutdown-hook")
                        .unstarted(() -> console.println(
                                "JVM exits now; worker alive=" + worker.isAlive() + ", daemon=" + worker.isDaemon())));
        worker.start();
        console.println("started worker (daemon=" + worker.isDaemon() + ")");
        firstTicks.await();
        console.println("worker ticked " + ticks + " times; main returns now");
        return 0;
    }

    private void work(Thread main, CountDownLatch firstTicks) {
        try {
            int tick = 0;
            while (kind == Kind.daemon || tick < ticks) { // a daemon worker never ends by itself
                tick(++tick, firstTicks);
            }
            main.join(); // a user worker outlives main on purpose, and says so
            console.println(
                    "main has ended (main.isAlive() = " + main.isAlive() + "); this user thread keeps the JVM running");
            while (tick < 2 * ticks) {
                tick(++tick, firstTicks);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.println("interrupted; worker stops");
        } finally {
            console.println("finally block ran; worker ends");
        }
    }

    private void tick(int tick, CountDownLatch firstTicks) throws InterruptedException {
        console.println("tick " + tick);
        firstTicks.countDown();
        sleeper.sleep(Duration.ofMillis(tickMs));
    }

    /** Runs the demo; {@code main} returns (no {@code System.exit}) unless the arguments are bad. */
    public static void main(String[] args) {
        ReturnFromMain.run(new Daemon_01_DiesWithMain(), args);
    }
}
