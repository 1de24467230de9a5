package dev.threadlab.daemon;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.process.JavaProcess;
import dev.threadlab.daemon.Daemon_02_LostLogLines.Fix;
import dev.threadlab.daemon.harness.LogFiles;
import dev.threadlab.daemon.harness.LogSize;
import dev.threadlab.daemon.harness.ReturnFromMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Each fix for the daemon log writer of {@link Daemon_02_LostLogLines} keeps a promise for some
 * ways a program ends and not for others. Which? This demo runs demo 02 in child JVMs, once for
 * every fix and every ending, and counts the lines that reached the file.
 *
 * <p>Run: {@code ./mvnw -q -pl 04-daemon -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.daemon.Daemon_03_WhatEachFixGuarantees -Ddemo.args="--runs 5"}
 *
 * <p>The endings: {@code normal} ({@code main} returns), {@code sigterm} (the parent calls
 * {@link Process#destroy()}, SIGTERM on Unix, as {@code kill PID} or a container stop does) and
 * {@code kill-9} ({@link Process#destroyForcibly()}, SIGKILL). "promised" is what the fix
 * guarantees: a shutdown hook runs when the program ends normally or on SIGTERM, never on
 * SIGKILL ({@link Runtime#addShutdownHook} javadoc: "the virtual machine may be terminated
 * abruptly ... no guarantee can be made about whether or not any shutdown hooks will be run");
 * an explicit close runs only where {@code main} reaches it.
 *
 * <p>What to observe (2 cores, JDK 25.0.3; real runs in the module README): {@code lost} is 0
 * on every row that is promised, and at least the last partial batch (40 of 1000) on every other
 * row. An unkept promise is flagged {@code BROKEN}.
 *
 * <p>With {@code --jobs N}, up to N children run at once (the default is one at a time). Nothing
 * here is timed: what a child loses depends on how it ends, not on how fast it runs, so the table
 * is the same either way; only the wall time differs.
 *
 * <p>Thread-safety: one run per instance.
 */
@Command(
        name = "daemon-03",
        mixinStandardHelpOptions = true,
        description =
                "Runs demo 02 in child JVMs for every fix and every ending, and counts the lines that reached the file.")
public final class Daemon_03_WhatEachFixGuarantees implements Callable<Integer> {

    /** How the child program ends, and the exit status that proves it ended that way. */
    public enum Ending {
        /** {@code main} returns. */
        normal(0),
        /** SIGTERM: the JVM runs its shutdown hooks and exits with 128 + 15. */
        sigterm(143),
        /** SIGKILL: the process is gone at once, no hook runs; exit status 128 + 9. */
        kill9(137);

        private final int exitStatus;

        Ending(int exitStatus) {
            this.exitStatus = exitStatus;
        }

        /** @return the exit status of a JVM ended this way */
        public int exitStatus() {
            return exitStatus;
        }

        @Override
        public String toString() {
            return this == kill9 ? "kill-9" : name();
        }
    }

    /** One child run: how it was ended, its exit status and what reached its file. */
    public record Run(Fix fix, Ending ending, int exitStatus, int accepted, int inFile) {
        /** @return lines accepted but not in the file */
        public int lost() {
            return accepted - inFile;
        }
    }

    /** The children only need to start fast: C1 compiler only, the simplest collector. */
    static final List<String> CHILD_JVM_OPTIONS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    /** How long one child may take before it is killed and reported. */
    static final Duration CHILD_BOUND = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--fix",
            split = ",",
            defaultValue = "none,hook,close",
            description = "fixes to try, comma-separated: none, hook, close (default: ${DEFAULT-VALUE})")
    List<Fix> fixes;

    @Option(
            names = "--end",
            split = ",",
            defaultValue = "normal,sigterm,kill9",
            description = "endings to try, comma-separated: normal, sigterm, kill9 (default: ${DEFAULT-VALUE})")
    List<Ending> endings;

    @Mixin
    LogSize size;

    @Option(
            names = "--runs",
            defaultValue = "1",
            description = "runs of each combination, 1..20 (default: ${DEFAULT-VALUE})")
    int runs;

    /**
     * Whether {@code fix} guarantees that no accepted line is lost when the program ends by
     * {@code ending}.
     */
    public static boolean promised(Fix fix, Ending ending) {
        return switch (fix) {
            case none -> false;
            case hook -> ending != Ending.kill9;
            case close -> ending == Ending.normal;
        };
    }

    @Option(
            names = "--jobs",
            defaultValue = "1",
            description = "children run at once, 1..9 (default: ${DEFAULT-VALUE})")
    int jobs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        size.validate(spec);
        Cli.require(spec, runs >= 1 && runs <= 20, "--runs must be between 1 and 20, was %d", runs);
        Cli.require(spec, jobs >= 1 && jobs <= 9, "--jobs must be between 1 and 9, was %d", jobs);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%d lines in batches of %d; %d run(s) of each; child JVM: %s%n",
                size.lines, size.batch, runs, JavaProcess.javaExecutable());
        out.printf(
                "%-6s %-8s %-9s %5s %9s %-22s %s%n", "fix", "end", "promised", "exit", "accepted", "in file", "lost");
        Map<List<Object>, List<Future<Run>>> started = new LinkedHashMap<>();
        try (ExecutorService children = Executors.newFixedThreadPool(
                jobs, Thread.ofPlatform().name("child-", 1).factory())) {
            for (Fix fix : fixes) {
                for (Ending ending : endings) {
                    List<Future<Run>> results = new ArrayList<>();
                    for (int r = 0; r < runs; r++) {
                        results.add(children.submit(() -> runOnce(fix, ending)));
                    }
                    started.put(List.of(fix, ending), results);
                }
            }
        } // waits for every child run
        boolean allKept = true;
        for (Map.Entry<List<Object>, List<Future<Run>>> row : started.entrySet()) {
            List<Run> results = new ArrayList<>();
            for (Future<Run> run : row.getValue()) {
                try {
                    results.add(run.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
            allKept &= printRow(
                    out, (Fix) row.getKey().get(0), (Ending) row.getKey().get(1), results);
        }
        out.flush();
        return allKept ? 0 : 1;
    }

    private boolean printRow(PrintWriter out, Fix fix, Ending ending, List<Run> results) {
        int[] inFile = results.stream().mapToInt(Run::inFile).sorted().toArray();
        int median = inFile[inFile.length / 2];
        String spread = inFile.length == 1
                ? Integer.toString(median)
                : median + " [" + inFile[0] + "-" + inFile[inFile.length - 1] + "]";
        String exits = results.stream()
                .map(r -> Integer.toString(r.exitStatus()))
                .distinct()
                .reduce((a, b) -> a + "/" + b)
                .orElse("?");
        boolean promised = promised(fix, ending);
        int worstLost = size.lines - inFile[0];
        boolean broken = promised && worstLost > 0;
        boolean wrongExit = results.stream().anyMatch(r -> r.exitStatus() != ending.exitStatus());
        out.printf(
                "%-6s %-8s %-9s %5s %9d %-22s %d%s%s%n",
                fix,
                ending,
                promised ? "yes" : "no",
                exits,
                size.lines,
                spread,
                size.lines - median,
                broken ? "  BROKEN: a promised line was lost" : "",
                wrongExit ? "  (expected exit " + ending.exitStatus() + ")" : "");
        return !broken && !wrongExit;
    }

    /** Runs demo 02 once in a child JVM, ends it by {@code ending}, and counts its file's lines. */
    Run runOnce(Fix fix, Ending ending) throws IOException, InterruptedException {
        Path file = Files.createTempFile("daemon-03-", ".log");
        try {
            return runOnce(fix, ending, file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Run runOnce(Fix fix, Ending ending, Path file) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(size.asArguments());
        args.addAll(List.of("--fix", fix.name(), "--file", file.toString()));
        if (ending != Ending.normal) {
            args.add("--wait");
        }
        Process child = JavaProcess.builder(
                        Daemon_02_LostLogLines.class, CHILD_JVM_OPTIONS, args.toArray(String[]::new))
                .redirectErrorStream(true)
                .start();
        // A bound for the whole run: if the child hangs, it is killed and the run reported.
        Thread deadline = Thread.ofPlatform().name("deadline-" + child.pid()).start(() -> {
            try {
                if (!child.waitFor(CHILD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        });
        List<String> output = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.add(line);
                if (line.contains(Daemon_02_LostLogLines.WAITING)) {
                    // Through the ProcessHandle: the same signals as Process.destroy() (SIGTERM) and
                    // destroyForcibly() (SIGKILL), but the child's output stays open to be read to its end.
                    if (ending == Ending.sigterm) {
                        child.toHandle().destroy();
                    } else {
                        child.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            int exit = child.waitFor();
            deadline.join();
            if (exit != ending.exitStatus()) {
                output.forEach(line -> spec.commandLine().getErr().println("  child: " + line));
            }
        }
        return new Run(
                fix,
                ending,
                child.exitValue(),
                size.lines,
                LogFiles.completeLines(file).size());
    }

    /** Runs the demo; exits 1 if some fix broke its promise, 2 on bad arguments. */
    public static void main(String[] args) {
        ReturnFromMain.run(new Daemon_03_WhatEachFixGuarantees(), args);
    }
}
