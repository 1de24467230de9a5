package dev.threadlab.basics;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Sleeper;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.common.timeline.Timeline.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * "Threads ... share the same memory space," says the lesson. Here both threads append what they
 * print to one list, and main reads that very list after joining them: no copying, no messages.
 * The timeline shows why the output "may vary": each thread runs for a moment, sleeps, and whoever
 * wakes first prints first.
 *
 * <p>Run: {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.basics.Basics_03_SharedMemory -Ddemo.args="--delay-ms 200"}
 * (add {@code --svg timeline.svg} to write the picture).
 *
 * <p>What to observe: the shared list holds every thread's entries, in the order they happened;
 * run it again and pairs may swap. In the timeline, {@code #} is a thread printing, {@code z}
 * sleeping, {@code .} main waiting in {@code join()}.
 *
 * <p>The list is {@code Collections.synchronizedList}: two threads appending to a plain
 * {@code ArrayList} at once can lose entries or corrupt it (module 03 shows such a race). Python
 * lists get away with it because the GIL makes {@code append} atomic (module 05).
 */
@Command(
        name = "basics-03",
        mixinStandardHelpOptions = true,
        description = "Threads share memory: both append to one list; the timeline shows how they interleave.")
public final class Basics_03_SharedMemory implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", defaultValue = "2", description = "how many threads (1-16, default ${DEFAULT-VALUE})")
    private int threads;

    @Option(
            names = "--count",
            defaultValue = "5",
            description = "entries each thread appends (0-100, default ${DEFAULT-VALUE})")
    private int count;

    @Option(
            names = "--delay-ms",
            defaultValue = "200",
            description = "pause after each entry, in ms (0-10000, default ${DEFAULT-VALUE})")
    private long delayMs;

    @Option(names = "--svg", description = "also write the timeline as an SVG file")
    private Path svg;

    /**
     * Runs {@code threads} threads that each append {@code worker-N:i} to one shared list,
     * recording each thread's states on {@code timeline}.
     *
     * @return the shared list, read by the calling thread after joining every worker
     */
    static List<String> run(int threads, int count, Duration delay, Sleeper sleeper, Timeline timeline)
            throws InterruptedException {
        List<String> shared = Collections.synchronizedList(new ArrayList<>()); // one list, every thread
        List<Thread> workers = new ArrayList<>();
        for (int n = 1; n <= threads; n++) {
            workers.add(new Thread(
                    () -> {
                        String me = Thread.currentThread().getName();
                        try {
                            for (int i = 0; i < count; i++) {
                                timeline.record(State.RUNNING, "append " + i);
                                shared.add(me + ":" + i);
                                timeline.record(State.SLEEPING, "sleep");
                                sleeper.sleep(delay);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            timeline.record(State.ENDED, "done");
                        }
                    },
                    "worker-" + n));
        }
        timeline.record(State.RUNNING, "start all");
        workers.forEach(Thread::start);
        timeline.record(State.WAITING, "join");
        for (Thread worker : workers) {
            worker.join();
        }
        timeline.record(State.RUNNING, "read the list");
        timeline.record(State.ENDED, "done");
        return List.copyOf(shared);
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        Cli.require(spec, threads >= 1 && threads <= 16, "--threads must be between 1 and 16, was %d", threads);
        Cli.require(spec, count >= 0 && count <= 100, "--count must be between 0 and 100, was %d", count);
        Cli.require(spec, delayMs >= 0 && delayMs <= 10_000, "--delay-ms must be between 0 and 10000, was %d", delayMs);
        Timeline timeline = new Timeline(Ticker.system());
        List<String> shared = run(threads, count, Duration.ofMillis(delayMs), Sleeper.real(), timeline);
        Console console = new Console(spec.commandLine().getOut(), Ticker.system());
        console.println("shared list, as main sees it: " + shared);
        spec.commandLine().getOut().print(timeline.renderAscii(60));
        spec.commandLine().getOut().flush();
        if (svg != null) {
            Files.writeString(svg, timeline.renderSvg(600));
            console.println("wrote " + svg.toAbsolutePath());
        }
        return 0;
    }

    /** Usage: {@code [--threads N] [--count N] [--delay-ms MS] [--svg FILE]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Basics_03_SharedMemory(), args);
    }
}
