package dev.threadlab.multiprocessing.bench;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.multiprocessing.PoolMapChoice;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.pool.Tasks;
import dev.threadlab.multiprocessing.pool.WorkerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lesson's closing advice, "use multiprocessing for CPU-bound tasks", measured in one run:
 * the same CPU-bound work (count the primes below a limit, twice) sequentially, on 2 Java threads
 * and on 2 worker JVMs; what a worker JVM costs (start to first result, round trip); and, when
 * {@code python3} is on the PATH, the module's Python original
 * ({@code src/main/python/threads_vs_pool.py}: 2 threads, {@code Pool(2)} with fork and spawn)
 * in the same run, so that CPython's rows stand beside Java's.
 *
 * <p>Run (a minute or two; from the repository root):
 * {@code ./mvnw -q -pl 06-multiprocessing -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.multiprocessing.bench.Multiprocessing_04_ThreadsVersusProcesses}
 *
 * <p>A harness rather than JMH: most rows start and stop processes, and the Python rows come from
 * another runtime; each row has warm-up repetitions, then measured ones, interleaved with the
 * other rows so that a burst of load on the machine hits all rows alike. It prints the median and
 * the spread of each row, and ratios taken from medians of the same run. The load average is
 * printed before and after, with a warning when the 1-minute load before the run exceeds the
 * core count: on a busy machine, the ratios are the figures to trust, not the absolute times.
 * The figures are printed, never asserted by a test.
 */
@Command(name = "multiprocessing-04", mixinStandardHelpOptions = true,
        description = "Threads vs worker processes for CPU-bound work, Java and CPython, in one run.")
public final class Multiprocessing_04_ThreadsVersusProcesses implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--java-limit", defaultValue = "1500000", description = "Java counts the primes below this, twice (1000-100000000, default ${DEFAULT-VALUE})")
    private long javaLimit;

    @Option(names = "--python-limit", defaultValue = "150000", description = "CPython counts the primes below this, twice (1000-10000000, default ${DEFAULT-VALUE})")
    private long pythonLimit;

    @Option(names = "--reps", defaultValue = "5", description = "measured repetitions of each CPU-bound row (1-100, default ${DEFAULT-VALUE})")
    private int reps;

    @Option(names = "--warmup", defaultValue = "1", description = "unmeasured repetitions first (0-20, default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--starts", defaultValue = "10", description = "worker JVM starts measured (1-200, default ${DEFAULT-VALUE})")
    private int starts;

    @Option(names = "--round-trips", defaultValue = "20000", description = "round trips measured (100-1000000, default ${DEFAULT-VALUE})")
    private int roundTrips;

    @Option(names = "--python", defaultValue = "python3", description = "the CPython to run (default ${DEFAULT-VALUE})")
    private String python;

    @Option(names = "--python-script", defaultValue = "src/main/python/threads_vs_pool.py",
            description = "the module's Python original (relative to the module directory, or the repository root)")
    private Path pythonScript;

    @Option(names = "--no-python", description = "leave the CPython rows out")
    private boolean noPython;

    @Option(names = "--solution", defaultValue = "reference", converter = PoolMapChoice.Converter.class,
            description = PoolMapChoice.DESCRIPTION)
    private PoolMapChoice solution;

    private PrintWriter out;

    /** One line of the table. */
    record Row(String what, Samples samples, String versus) {}

    @Override
    public Integer call() throws Exception {
        Cli.require(spec, javaLimit >= 1000 && javaLimit <= 100_000_000, "--java-limit must be in 1000..100000000, was %d", javaLimit);
        Cli.require(spec, pythonLimit >= 1000 && pythonLimit <= 10_000_000, "--python-limit must be in 1000..10000000, was %d", pythonLimit);
        Cli.require(spec, reps >= 1 && reps <= 100, "--reps must be in 1..100, was %d", reps);
        Cli.require(spec, warmup >= 0 && warmup <= 20, "--warmup must be in 0..20, was %d", warmup);
        Cli.require(spec, starts >= 1 && starts <= 200, "--starts must be in 1..200, was %d", starts);
        Cli.require(spec, roundTrips >= 100 && roundTrips <= 1_000_000, "--round-trips must be in 100..1000000, was %d", roundTrips);
        Path script = noPython ? null : locate(pythonScript);
        Cli.require(spec, noPython || script != null,
                "--python-script %s not found (from the module directory or the repository root); pass its path, or --no-python",
                pythonScript);

        out = spec.commandLine().getOut();
        String loadBefore = loadAverage();
        out.printf(Locale.ROOT, "machine: %d cores, %s %s, JDK %s; load average (1, 5, 15 min) before: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), loadBefore);
        warnIfLoaded();
        out.printf(Locale.ROOT, "work: 2 x countPrimes(%d) in Java; 2 x count_primes(%d) in CPython; %d + %d repetitions%n",
                javaLimit, pythonLimit, warmup, reps);

        List<Row> rows = new ArrayList<>();
        rows.addAll(javaCosts());
        rows.addAll(javaCpuBound());
        if (!noPython) {
            rows.addAll(pythonRows(script));
        }
        out.println();
        out.println("| what | median | spread | n | vs sequential |");
        out.println("| --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s |%n", row.what(), row.samples().formattedMedian(),
                    row.samples().spread(), row.samples().nanos().length, row.versus());
        }
        out.println();
        out.println("load average (1, 5, 15 min) after: " + loadAverage()); // its own busy cores count in this one
        out.flush();
        return 0;
    }

    /** What one worker JVM costs: start to first result, and a round trip. */
    private List<Row> javaCosts() throws Exception {
        long[] startOne = new long[starts];
        long[] startTwo = new long[starts];
        for (int i = 0; i < starts; i++) {
            long begin = System.nanoTime();
            try (WorkerProcess worker = WorkerProcess.start(ProcessPool.DEFAULT_JVM_OPTIONS)) {
                worker.run("echo", List.of(i), null, null);
                startOne[i] = System.nanoTime() - begin;
            }
            begin = System.nanoTime();
            try (WorkerProcess first = WorkerProcess.start(ProcessPool.DEFAULT_JVM_OPTIONS);
                 WorkerProcess second = WorkerProcess.start(ProcessPool.DEFAULT_JVM_OPTIONS)) {
                first.run("echo", List.of(i), null, null);
                second.run("echo", List.of(i), null, null);
                startTwo[i] = System.nanoTime() - begin;
            }
        }
        long[] direct = new long[roundTrips];
        try (WorkerProcess worker = WorkerProcess.start(ProcessPool.DEFAULT_JVM_OPTIONS)) {
            for (int i = 0; i < Math.max(1000, roundTrips / 4); i++) {
                worker.run("echo", List.of(i), null, null);
            }
            for (int i = 0; i < roundTrips; i++) {
                long begin = System.nanoTime();
                worker.run("echo", List.of(i), null, null);
                direct[i] = System.nanoTime() - begin;
            }
        }
        long[] apply = new long[roundTrips];
        try (ProcessPool pool = ProcessPool.start(1)) {
            for (int i = 0; i < Math.max(1000, roundTrips / 4); i++) {
                pool.apply("echo", i);
            }
            for (int i = 0; i < roundTrips; i++) {
                long begin = System.nanoTime();
                pool.apply("echo", i);
                apply[i] = System.nanoTime() - begin;
            }
        }
        return List.of(
                new Row("Java: 1 worker JVM, start → first result", new Samples("start-1", startOne), ""),
                new Row("Java: 2 worker JVMs started together, start → both answered", new Samples("start-2", startTwo), ""),
                new Row("Java: round trip to a worker JVM (echo, caller's thread on the pipe)", new Samples("rt", direct), ""),
                new Row("Java: `pool.apply` round trip (echo, through the pool's queue and dispatcher)", new Samples("apply", apply), ""));
    }

    /** The same CPU-bound work: sequential, 2 threads, 2 worker JVMs (end to end, and warm). */
    private List<Row> javaCpuBound() throws Exception {
        long expected = Tasks.countPrimes(javaLimit);
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (String row : List.of("sequential", "threads", "jvms", "warm-jvms")) {
            samples.put(row, new long[reps]);
        }
        try (ProcessPool warm = ProcessPool.start(2, solution.create())) {
            warm.map("countPrimes", List.of(javaLimit, javaLimit), 1);
            for (int rep = 0; rep < warmup + reps; rep++) {
                record(samples, "sequential", rep, () -> List.<Object>of(Tasks.countPrimes(javaLimit), Tasks.countPrimes(javaLimit)), expected);
                record(samples, "threads", rep, this::twoThreads, expected);
                record(samples, "jvms", rep, () -> {
                    try (ProcessPool pool = ProcessPool.start(2, solution.create())) {
                        return pool.map("countPrimes", List.of(javaLimit, javaLimit), 1);
                    }
                }, expected);
                record(samples, "warm-jvms", rep, () -> warm.map("countPrimes", List.of(javaLimit, javaLimit), 1), expected);
            }
        }
        Samples sequential = new Samples("sequential", samples.get("sequential"));
        return List.of(
                new Row("Java: 2 × CPU-bound, sequential", sequential, "1.00x"),
                versus("Java: 2 × CPU-bound, 2 threads", new Samples("threads", samples.get("threads")), sequential),
                versus("Java: 2 × CPU-bound, 2 worker JVMs, end to end (start, map, close)",
                        new Samples("jvms", samples.get("jvms")), sequential),
                versus("Java: 2 × CPU-bound, 2 warm worker JVMs (map only)",
                        new Samples("warm-jvms", samples.get("warm-jvms")), sequential));
    }

    private List<Object> twoThreads() throws InterruptedException {
        long[] counts = new long[2];
        Thread first = Thread.ofPlatform().name("bench-1").start(() -> counts[0] = Tasks.countPrimes(javaLimit));
        Thread second = Thread.ofPlatform().name("bench-2").start(() -> counts[1] = Tasks.countPrimes(javaLimit));
        first.join();
        second.join(); // join: the threads' writes to counts happen-before the reads below
        return List.of(counts[0], counts[1]);
    }

    @FunctionalInterface
    private interface Work {
        List<Object> run() throws Exception;
    }

    private void record(Map<String, long[]> samples, String row, int rep, Work work, long expected) throws Exception {
        long begin = System.nanoTime();
        List<Object> result = work.run();
        long elapsed = System.nanoTime() - begin;
        if (!result.equals(List.of(expected, expected))) {
            throw new IllegalStateException(row + " computed " + result + ", expected twice " + expected);
        }
        if (rep >= warmup) {
            samples.get(row)[rep - warmup] = elapsed;
        }
    }

    private static Row versus(String what, Samples samples, Samples sequential) {
        return new Row(what, samples, String.format(Locale.ROOT, "%.2fx", sequential.median() / samples.median()));
    }

    /** Runs the Python original with {@code --raw} and turns its samples into rows. */
    private List<Row> pythonRows(Path script) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(python, script.toString(), "--raw", "--limit", Long.toString(pythonLimit),
                    "--reps", Integer.toString(reps), "--warmup", Integer.toString(warmup),
                    "--round-trips", Integer.toString(Math.min(roundTrips, 5000)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            out.println("(no CPython rows: cannot run " + python + ": " + e.getMessage() + ")");
            return List.of();
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        String version = "?";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] fields = line.split(" ");
                if (fields.length == 3 && fields[0].equals("sample")) {
                    seconds.computeIfAbsent(fields[1], k -> new ArrayList<>()).add(Double.parseDouble(fields[2]));
                } else if (fields.length == 3 && fields[0].equals("info") && fields[1].equals("python")) {
                    version = fields[2];
                }
            }
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                out.println("(no CPython rows: " + python + " " + script + " failed; its error is above)");
                return List.of();
            }
        } finally {
            process.destroyForcibly();
        }
        String py = "CPython " + version + ": ";
        Samples sequential = Samples.ofSeconds("sequential", seconds.get("sequential"));
        return List.of(
                new Row(py + "`Pool(2)` start → first result (fork)", Samples.ofSeconds("start-fork", seconds.get("start-fork")), ""),
                new Row(py + "`Pool(2)` start → first result (spawn)", Samples.ofSeconds("start-spawn", seconds.get("start-spawn")), ""),
                new Row(py + "`Pool.apply` round trip (echo)", Samples.ofSeconds("apply", seconds.get("apply")), ""),
                new Row(py + "2 × CPU-bound, sequential", sequential, "1.00x"),
                versus(py + "2 × CPU-bound, 2 threads", Samples.ofSeconds("threads", seconds.get("threads")), sequential),
                versus(py + "2 × CPU-bound, `Pool(2)` fork, end to end", Samples.ofSeconds("pool-fork", seconds.get("pool-fork")), sequential),
                versus(py + "2 × CPU-bound, `Pool(2)` spawn, end to end", Samples.ofSeconds("pool-spawn", seconds.get("pool-spawn")), sequential));
    }

    private static Path locate(Path script) {
        for (Path candidate : List.of(script, Path.of("06-multiprocessing").resolve(script))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void warnIfLoaded() {
        loadWarning(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors()).ifPresent(out::println);
    }

    /**
     * @param oneMinute the 1-minute load average (negative where the OS does not tell)
     * @return a warning if it exceeds the number of cores: then other work competes for them
     */
    static Optional<String> loadWarning(double oneMinute, int cores) {
        if (oneMinute <= cores) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "WARNING: the 1-minute load average (%.2f) exceeds the %d cores:"
                + " other work competes for them, so the times are slow and the speed-ups low and noisy;"
                + " rerun on an idle machine before you compare", oneMinute, cores));
    }

    /** @return the 1, 5 and 15 minute load averages from /proc/loadavg, or the JVM's 1 minute one */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f (1 min)", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Usage: {@code [--java-limit N] [--python-limit N] [--reps N] [--warmup N] [--starts N] [--round-trips N] [--python CMD] [--python-script FILE] [--no-python]}; bad values exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Multiprocessing_04_ThreadsVersusProcesses(), args);
    }
}
