package dev.threadlab.multiprocessing.bench;

import dev.threadlab.common.bench.Machine;
import dev.threadlab.common.bench.PythonOption;
import dev.threadlab.common.bench.Repetitions;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.multiprocessing.PoolMapChoice;
import dev.threadlab.multiprocessing.pool.ProcessPool;
import dev.threadlab.multiprocessing.pool.Tasks;
import dev.threadlab.multiprocessing.pool.WorkerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lesson's closing advice, "use threading for I/O-bound tasks, multiprocessing for CPU-bound
 * tasks", measured in one run, Java and CPython side by side:
 * <ul>
 *   <li>I/O-bound: N requests to a loopback HTTP server that answers each after a delay
 *       ({@link SlowLoopbackServer}), sequentially, on N threads (platform and virtual), and on N
 *       worker JVMs;</li>
 *   <li>CPU-bound: count the primes below a limit, twice, sequentially, on 2 threads and on 2
 *       worker JVMs;</li>
 *   <li>what a worker JVM costs (start to first result, round trip);</li>
 *   <li>when {@code python3} is on the PATH, the module's Python original
 *       ({@code src/main/python/threads_vs_pool.py}: {@code threading}, and
 *       {@code multiprocessing.Pool} with fork and spawn) on the same workloads, against the same
 *       server.</li>
 * </ul>
 * It ends with the lesson's 2×2: I/O- vs CPU-bound × threads vs processes, the speed-up over
 * sequential in each cell, Java and CPython. The pools' {@code map} is the one
 * {@code --solution} chooses (default the reference).
 *
 * <p>Run (a few minutes; from the repository root): {@code ./threadlab demo 06 04}, or
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
@Command(
        name = "multiprocessing-04",
        mixinStandardHelpOptions = true,
        description = "Threads vs worker processes for I/O-bound and CPU-bound work, Java and CPython, in one run.")
public final class Multiprocessing_04_ThreadsVersusProcesses implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--java-limit",
            defaultValue = "1500000",
            description = "Java counts the primes below this, twice (1000-100000000, default ${DEFAULT-VALUE})")
    private long javaLimit;

    @Option(
            names = "--python-limit",
            defaultValue = "150000",
            description = "CPython counts the primes below this, twice (1000-10000000, default ${DEFAULT-VALUE})")
    private long pythonLimit;

    @Mixin
    private Repetitions repetitions;

    @Option(
            names = "--io-requests",
            defaultValue = "8",
            description = "I/O-bound: requests, threads and worker processes (1-32, default ${DEFAULT-VALUE})")
    private int ioRequests;

    @Option(
            names = "--io-delay-ms",
            defaultValue = "100",
            description = "I/O-bound: how long the server waits before each answer (1-5000, default ${DEFAULT-VALUE})")
    private int ioDelayMs;

    @Option(
            names = "--starts",
            defaultValue = "10",
            description = "worker JVM starts measured (1-200, default ${DEFAULT-VALUE})")
    private int starts;

    @Option(
            names = "--round-trips",
            defaultValue = "20000",
            description = "round trips measured (100-1000000, default ${DEFAULT-VALUE})")
    private int roundTrips;

    @Mixin
    private PythonOption python;

    @Option(
            names = "--python-script",
            defaultValue = "src/main/python/threads_vs_pool.py",
            description = "the module's Python original (relative to the module directory, or the repository root)")
    private Path pythonScript;

    @Option(
            names = "--solution",
            defaultValue = "reference",
            converter = PoolMapChoice.Converter.class,
            description = PoolMapChoice.DESCRIPTION)
    private PoolMapChoice solution;

    private PrintWriter out;

    /** One line of the table. */
    record Row(String what, Samples samples, String versus) {}

    /** Speed-ups over sequential, by cell of the 2×2 (e.g. {@code "java io threads"}). */
    private final Map<String, Double> speedUps = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Cli.require(
                spec,
                javaLimit >= 1000 && javaLimit <= 100_000_000,
                "--java-limit must be in 1000..100000000, was %d",
                javaLimit);
        Cli.require(
                spec,
                pythonLimit >= 1000 && pythonLimit <= 10_000_000,
                "--python-limit must be in 1000..10000000, was %d",
                pythonLimit);
        repetitions.validate();
        Cli.require(spec, starts >= 1 && starts <= 200, "--starts must be in 1..200, was %d", starts);
        Cli.require(spec, ioRequests >= 1 && ioRequests <= 32, "--io-requests must be in 1..32, was %d", ioRequests);
        Cli.require(spec, ioDelayMs >= 1 && ioDelayMs <= 5000, "--io-delay-ms must be in 1..5000, was %d", ioDelayMs);
        Cli.require(
                spec,
                roundTrips >= 100 && roundTrips <= 1_000_000,
                "--round-trips must be in 100..1000000, was %d",
                roundTrips);
        python.validate();
        Path script = python.skipped() ? null : locate(pythonScript);
        Cli.require(
                spec,
                python.skipped() || script != null,
                "--python-script %s not found (from the module directory or the repository root); pass its path, or --python skip",
                pythonScript);

        out = spec.commandLine().getOut();
        String loadBefore = Machine.loadAverage();
        out.printf(
                Locale.ROOT,
                "machine: %d cores, %s %s, JDK %s; load average before: %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                loadBefore);
        warnIfLoaded();
        out.printf(
                Locale.ROOT,
                "I/O-bound work: %d GETs to a loopback server that answers after %d ms; "
                        + "CPU-bound work: "
                        + "2 x countPrimes(%d) in Java, 2 x count_primes(%d) in CPython; %d + %d repetitions; Pool.map: %s%n",
                ioRequests,
                ioDelayMs,
                javaLimit,
                pythonLimit,
                repetitions.warmups(),
                repetitions.reps(),
                solution);

        List<Row> rows = new ArrayList<>();
        try (SlowLoopbackServer server = SlowLoopbackServer.start(Duration.ofMillis(ioDelayMs))) {
            rows.addAll(javaCosts());
            rows.addAll(javaIoBound(server));
            rows.addAll(javaCpuBound());
            if (python.python().isPresent()) {
                rows.addAll(pythonRows(python.python().orElseThrow(), script, server));
            } else if (!python.skipped()) {
                out.println("(no CPython rows: " + python.whyNone() + ")");
            }
        } catch (NotImplementedYet stub) {
            spec.commandLine().getErr().println(PoolMapChoice.notWrittenYet(stub));
            return 1;
        }
        out.println();
        out.println("| what | median | spread | n | vs sequential |");
        out.println("| --- | --- | --- | --- | --- |");
        for (Row row : rows) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %s |%n",
                    row.what(),
                    row.samples().formattedMedian(),
                    row.samples().spread(),
                    row.samples().nanos().length,
                    row.versus());
        }
        out.println();
        printWhenToUseWhich();
        out.println();
        out.println("load average after: " + Machine.loadAverage()); // its own busy cores count in this one
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
                new Row(
                        "Java: 2 worker JVMs started together, start → both answered",
                        new Samples("start-2", startTwo),
                        ""),
                new Row(
                        "Java: round trip to a worker JVM (echo, caller's thread on the pipe)",
                        new Samples("rt", direct),
                        ""),
                new Row(
                        "Java: `pool.apply` round trip (echo, through the pool's queue and dispatcher)",
                        new Samples("apply", apply),
                        ""));
    }

    /** The same CPU-bound work: sequential, 2 threads, 2 worker JVMs (end to end, and warm). */
    private List<Row> javaCpuBound() throws Exception {
        long expected = Tasks.countPrimes(javaLimit);
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (String row : List.of("sequential", "threads", "jvms", "warm-jvms")) {
            samples.put(row, new long[repetitions.reps()]);
        }
        try (ProcessPool warm = ProcessPool.start(2, solution.create())) {
            warm.map("countPrimes", List.of(javaLimit, javaLimit), 1);
            for (int rep = 0; rep < repetitions.warmups() + repetitions.reps(); rep++) {
                record(
                        samples,
                        "sequential",
                        rep,
                        () -> List.<Object>of(Tasks.countPrimes(javaLimit), Tasks.countPrimes(javaLimit)),
                        expected);
                record(samples, "threads", rep, this::twoThreads, expected);
                record(
                        samples,
                        "jvms",
                        rep,
                        () -> {
                            try (ProcessPool pool = ProcessPool.start(2, solution.create())) {
                                return pool.map("countPrimes", List.of(javaLimit, javaLimit), 1);
                            }
                        },
                        expected);
                record(
                        samples,
                        "warm-jvms",
                        rep,
                        () -> warm.map("countPrimes", List.of(javaLimit, javaLimit), 1),
                        expected);
            }
        }
        Samples sequential = new Samples("sequential", samples.get("sequential"));
        return List.of(
                new Row("Java: 2 × CPU-bound, sequential", sequential, "1.00x"),
                versus(
                        "java cpu threads",
                        "Java: 2 × CPU-bound, 2 threads",
                        new Samples("threads", samples.get("threads")),
                        sequential),
                versus(
                        "java cpu processes",
                        "Java: 2 × CPU-bound, 2 worker JVMs, end to end (start, map, close)",
                        new Samples("jvms", samples.get("jvms")),
                        sequential),
                versus(
                        "java cpu warm",
                        "Java: 2 × CPU-bound, 2 warm worker JVMs (map only)",
                        new Samples("warm-jvms", samples.get("warm-jvms")),
                        sequential));
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
        record(samples, row, rep, work, List.of(expected, expected));
    }

    private void record(Map<String, long[]> samples, String row, int rep, Work work, List<?> expected)
            throws Exception {
        long begin = System.nanoTime();
        List<Object> result = work.run();
        long elapsed = System.nanoTime() - begin;
        if (!result.equals(expected)) {
            throw new IllegalStateException(row + " computed " + result + ", expected " + expected);
        }
        if (rep >= repetitions.warmups()) {
            samples.get(row)[rep - repetitions.warmups()] = elapsed;
        }
    }

    private static Row versus(String what, Samples samples, Samples sequential) {
        return new Row(what, samples, String.format(Locale.ROOT, "%.2fx", sequential.median() / samples.median()));
    }

    /** Like {@link #versus(String, Samples, Samples)}, remembering the speed-up for the 2×2's {@code cell}. */
    private Row versus(String cell, String what, Samples samples, Samples sequential) {
        speedUps.put(cell, sequential.median() / samples.median());
        return versus(what, samples, sequential);
    }

    /** N GETs to the slow server: sequential, N platform threads, N virtual threads, N worker JVMs. */
    private List<Row> javaIoBound(SlowLoopbackServer server) throws Exception {
        List<String> urls = IntStream.range(0, ioRequests)
                .mapToObj(i -> server.url("/request-" + i))
                .toList();
        List<String> expected =
                IntStream.range(0, ioRequests).mapToObj(i -> "/request-" + i).toList();
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (String row : List.of("sequential", "threads", "virtual", "jvms", "warm-jvms")) {
            samples.put(row, new long[repetitions.reps()]);
        }
        try (ProcessPool warm = ProcessPool.start(ioRequests, solution.create())) {
            warm.map("httpGet", urls, 1);
            for (int rep = 0; rep < repetitions.warmups() + repetitions.reps(); rep++) {
                record(
                        samples,
                        "sequential",
                        rep,
                        () -> {
                            List<Object> bodies = new ArrayList<>();
                            for (String url : urls) {
                                bodies.add(Tasks.httpGet(url));
                            }
                            return bodies;
                        },
                        expected);
                record(samples, "threads", rep, () -> threadPerRequest(urls), expected);
                record(samples, "virtual", rep, () -> virtualThreadPerRequest(urls), expected);
                record(
                        samples,
                        "jvms",
                        rep,
                        () -> {
                            try (ProcessPool pool = ProcessPool.start(ioRequests, solution.create())) {
                                return pool.map("httpGet", urls, 1);
                            }
                        },
                        expected);
                record(samples, "warm-jvms", rep, () -> warm.map("httpGet", urls, 1), expected);
            }
        }
        String n = Integer.toString(ioRequests);
        Samples sequential = new Samples("sequential", samples.get("sequential"));
        return List.of(
                new Row("Java: " + n + " × I/O-bound, sequential", sequential, "1.00x"),
                versus(
                        "java io threads",
                        "Java: " + n + " × I/O-bound, " + n + " platform threads",
                        new Samples("threads", samples.get("threads")),
                        sequential),
                versus(
                        "java io virtual",
                        "Java: " + n + " × I/O-bound, " + n + " virtual threads",
                        new Samples("virtual", samples.get("virtual")),
                        sequential),
                versus(
                        "java io processes",
                        "Java: " + n + " × I/O-bound, " + n + " worker JVMs, end to end (start, map, close)",
                        new Samples("jvms", samples.get("jvms")),
                        sequential),
                versus(
                        "java io warm",
                        "Java: " + n + " × I/O-bound, " + n + " warm worker JVMs (map only)",
                        new Samples("warm-jvms", samples.get("warm-jvms")),
                        sequential));
    }

    private static List<Object> threadPerRequest(List<String> urls) throws InterruptedException {
        String[] bodies = new String[urls.size()];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            int slot = i;
            threads.add(Thread.ofPlatform().name("get-" + i).start(() -> {
                try {
                    bodies[slot] = Tasks.httpGet(urls.get(slot));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(); // join: each thread's write to bodies happens-before the read below
        }
        return List.of((Object[]) bodies);
    }

    private static List<Object> virtualThreadPerRequest(List<String> urls) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (String url : urls) {
                answers.add(executor.submit(() -> Tasks.httpGet(url)));
            }
            List<Object> bodies = new ArrayList<>();
            for (Future<String> answer : answers) {
                bodies.add(answer.get());
            }
            return bodies;
        }
    }

    /** The lesson's closing advice as a 2×2 of speed-ups over sequential, from this run's medians. */
    private void printWhenToUseWhich() {
        out.println("When to use which: speed-up over sequential (medians of this run; processes: end to end, "
                + "a warm pool in brackets)");
        out.println();
        out.println("| | threads | processes |");
        out.println("| --- | --- | --- |");
        out.println("| I/O-bound (" + ioRequests + " requests, " + ioDelayMs + " ms each) | " + cell("io threads")
                + " | " + cell("io processes", "io warm") + " |");
        out.println("| CPU-bound (2 × count primes, 2 cores) | " + cell("cpu threads") + " | "
                + cell("cpu processes", "cpu warm") + " |");
    }

    private String cell(String... keys) {
        List<String> parts = new ArrayList<>();
        for (String language : List.of("java", "python")) {
            Double main = speedUps.get(language + " " + keys[0]);
            if (main == null) {
                continue;
            }
            String text = (language.equals("java") ? "Java " : "CPython ") + String.format(Locale.ROOT, "%.1f×", main);
            Double warm = keys.length > 1 ? speedUps.get(language + " " + keys[1]) : null;
            if (warm != null) {
                text += String.format(Locale.ROOT, " (%.1f×)", warm);
            }
            parts.add(text);
        }
        return String.join(" · ", parts);
    }

    /** Runs the Python original with {@code --raw} and turns its samples into rows. */
    private List<Row> pythonRows(Path python, Path script, SlowLoopbackServer server)
            throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(
                            python.toString(),
                            script.toString(),
                            "--raw",
                            "--limit",
                            Long.toString(pythonLimit),
                            "--io-url",
                            server.url("/request-"),
                            "--io-requests",
                            Integer.toString(ioRequests),
                            "--reps",
                            Integer.toString(repetitions.reps()),
                            "--warmup",
                            Integer.toString(repetitions.warmups()),
                            "--round-trips",
                            Integer.toString(Math.min(roundTrips, 5000)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            out.println("(no CPython rows: cannot run " + python + ": " + e.getMessage() + ")");
            return List.of();
        }
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        String version = "?";
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
        String n = Integer.toString(ioRequests);
        Samples ioSequential = Samples.ofSeconds("io-sequential", seconds.get("io-sequential"));
        Samples sequential = Samples.ofSeconds("sequential", seconds.get("sequential"));
        return List.of(
                new Row(py + n + " × I/O-bound, sequential", ioSequential, "1.00x"),
                versus(
                        "python io threads",
                        py + n + " × I/O-bound, " + n + " threads",
                        Samples.ofSeconds("io-threads", seconds.get("io-threads")),
                        ioSequential),
                versus(
                        "python io processes",
                        py + n + " × I/O-bound, `Pool(" + n + ")` fork, end to end",
                        Samples.ofSeconds("io-pool-fork", seconds.get("io-pool-fork")),
                        ioSequential),
                versus(
                        "python io warm",
                        py + n + " × I/O-bound, warm `Pool(" + n + ")` fork (map only)",
                        Samples.ofSeconds("io-pool-warm", seconds.get("io-pool-warm")),
                        ioSequential),
                new Row(
                        py + "`Pool(2)` start → first result (fork)",
                        Samples.ofSeconds("start-fork", seconds.get("start-fork")),
                        ""),
                new Row(
                        py + "`Pool(2)` start → first result (spawn)",
                        Samples.ofSeconds("start-spawn", seconds.get("start-spawn")),
                        ""),
                new Row(py + "`Pool.apply` round trip (echo)", Samples.ofSeconds("apply", seconds.get("apply")), ""),
                new Row(py + "2 × CPU-bound, sequential", sequential, "1.00x"),
                versus(
                        "python cpu threads",
                        py + "2 × CPU-bound, 2 threads",
                        Samples.ofSeconds("threads", seconds.get("threads")),
                        sequential),
                versus(
                        "python cpu processes",
                        py + "2 × CPU-bound, `Pool(2)` fork, end to end",
                        Samples.ofSeconds("pool-fork", seconds.get("pool-fork")),
                        sequential),
                versus(
                        "python cpu warm",
                        py + "2 × CPU-bound, warm `Pool(2)` fork (map only)",
                        Samples.ofSeconds("pool-warm", seconds.get("pool-warm")),
                        sequential),
                versus(
                        py + "2 × CPU-bound, `Pool(2)` spawn, end to end",
                        Samples.ofSeconds("pool-spawn", seconds.get("pool-spawn")),
                        sequential));
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
        Machine.loadWarning().ifPresent(out::println);
    }

    /**
     * Usage: {@code [--java-limit N] [--python-limit N] [--reps N] [--warmups N] [--io-requests N]
     * [--io-delay-ms N] [--starts N] [--round-trips N] [--python auto|skip|CMD] [--python-script FILE]
     * [--solution reference|yours]}; bad values exit 2.
     */
    public static void main(String[] args) {
        Cli.exit(new Multiprocessing_04_ThreadsVersusProcesses(), args);
    }
}
