package dev.threadlab.daemon;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.output.Console;
import dev.threadlab.common.time.Ticker;
import dev.threadlab.daemon.harness.LogSize;
import dev.threadlab.daemon.harness.ReturnFromMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A daemon thread's {@code finally} block does not run when the JVM exits. What does that cost a
 * daemon log writer ({@link BatchingLogWriter}) that writes its last batch in {@code finally}?
 *
 * <p>Run: {@code ./mvnw -q -pl 04-daemon -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.daemon.Daemon_02_LostLogLines -Ddemo.args="--fix none --file /tmp/d02.log"},
 * then {@code wc -l /tmp/d02.log}. Then {@code --fix hook}, then {@code --fix close}.
 *
 * <p>{@code main} logs {@code --lines} lines, then returns (the program ends normally), or with
 * {@code --wait} waits until something outside ends the process (SIGTERM with {@code kill PID},
 * or {@code kill -9 PID}). {@code --fix} chooses what protects the lines:
 * <ul>
 *   <li>{@code none}: nothing; the daemon writer is trusted to finish in its {@code finally}.</li>
 *   <li>{@code hook}: a shutdown hook closes the writer; hooks run when {@code main} returns and
 *       on SIGTERM, never on {@code kill -9}.</li>
 *   <li>{@code close}: {@code main} closes the writer, with a bound, before it returns; nothing
 *       closes it if the process is ended from outside.</li>
 * </ul>
 *
 * <p>What to observe (2 cores, JDK 25.0.3, a real run), {@code --fix none}:
 * <pre>
 * [  12 ms] main       log writer started (daemon=true), batches of 64 lines, into /tmp/d02.log
 * [  61 ms] main       accepted 1000 lines (fix: none)
 * [  61 ms] main       main returns now
 * $ wc -l /tmp/d02.log
 * 960 /tmp/d02.log
 * </pre>
 * 40 lines lost: 1000 = 15 batches of 64 + 40, and the 40 were to be written in
 * {@code finally}. (More are lost when the writer had not caught up when the JVM exited.) With
 * {@code --fix hook} or {@code --fix close} the file has all 1000. The next demo,
 * {@link Daemon_03_WhatEachFixGuarantees}, runs every fix against every way of ending and counts.
 *
 * <p>Thread-safety: one run per instance.
 */
@Command(
        name = "daemon-02",
        mixinStandardHelpOptions = true,
        description =
                "A daemon log writer loses the lines of its last batch when the JVM exits, unless a hook or main closes it.")
public final class Daemon_02_LostLogLines implements Callable<Integer> {

    /** What protects the log's last lines. */
    public enum Fix {
        none,
        hook,
        close
    }

    /** Printed when main waits for the process to be ended from outside (the parent looks for it). */
    public static final String WAITING = "waiting to be ended";

    /** How long a close may wait for the writer (a hook must be quick: the JVM waits for it). */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    LogSize size;

    @Option(names = "--fix", defaultValue = "none", description = "none, hook or close (default: ${DEFAULT-VALUE})")
    Fix fix;

    @Option(
            names = "--wait",
            description =
                    "after logging, wait until the process is ended from outside (SIGTERM or kill -9) instead of returning")
    boolean waitToBeEnded;

    @Option(
            names = "--file",
            description = "the log file, created or emptied; its directory must exist "
                    + "(default: a new file in java.io.tmpdir)")
    Path file;

    private Console console;

    @Override
    public Integer call() throws Exception {
        console = new Console(spec.commandLine().getOut(), Ticker.system());
        size.validate(spec);
        if (file != null) {
            validateFile(file);
        }
        Path log = file != null ? file : Files.createTempFile("daemon-02-", ".log");

        BatchingLogWriter writer = new BatchingLogWriter(log, size.batch);
        console.println("log writer started (daemon=" + writer.thread().isDaemon() + "), batches of " + size.batch
                + " lines, into " + log);
        if (fix == Fix.hook) {
            Runtime.getRuntime()
                    .addShutdownHook(Thread.ofPlatform().name("log-flush-hook").unstarted(() -> {
                        try {
                            boolean all = writer.close(CLOSE_BOUND);
                            console.println(
                                    "hook closed the writer: written " + writer.written() + " of " + writer.accepted()
                                            + (all ? "" : " (NOT all within " + CLOSE_BOUND.toSeconds() + " s)"));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
        }
        for (int i = 1; i <= size.lines; i++) {
            writer.log(String.format("line %07d", i));
        }
        console.println("accepted " + writer.accepted() + " lines (fix: " + fix + ")");
        if (waitToBeEnded) {
            console.println(WAITING + " (kill " + ProcessHandle.current().pid() + " or kill -9 "
                    + ProcessHandle.current().pid() + ")");
            new CountDownLatch(1).await(); // never counted down: only a signal ends this process,
            // so main never gets further, and never reaches the close below
        }
        if (fix == Fix.close) {
            boolean all = writer.close(CLOSE_BOUND);
            console.println("main closed the writer: written " + writer.written() + " of " + writer.accepted()
                    + (all ? "" : " (NOT all within " + CLOSE_BOUND.toSeconds() + " s)"));
        }
        console.println("main returns now");
        return 0;
    }

    /** An unusable --file is bad input like any other: one line and the usage, exit 2 (not a stack trace). */
    private void validateFile(Path path) {
        Cli.require(spec, !Files.isDirectory(path), "--file must be a file, not a directory: %s", path);
        Path parent = path.toAbsolutePath().getParent();
        Cli.require(
                spec,
                parent != null && Files.isDirectory(parent),
                "--file must be in an existing directory, and %s is not one",
                parent);
        Cli.require(
                spec,
                Files.exists(path) ? Files.isWritable(path) : Files.isWritable(parent),
                "--file cannot be written: %s",
                path);
    }

    /** Runs the demo; {@code main} returns (no {@code System.exit}) unless the arguments are bad. */
    public static void main(String[] args) {
        ReturnFromMain.run(new Daemon_02_LostLogLines(), args);
    }
}
