package dev.threadlab.basics;

import dev.threadlab.basics.harness.SlowServer;
import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.time.Sleeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Why use threads? The lesson's first answer: "To perform I/O-bound tasks (e.g., reading/writing
 * files, network requests)." Twenty requests to a server that takes 200 ms to answer each: how
 * long do they take one after the other, with a thread per request, with a virtual thread per
 * request?
 *
 * <p>Run: {@code ./mvnw -q -pl 01-basic-threads -am process-test-classes -Pdemo
 * -Ddemo.mainClass=dev.threadlab.basics.Basics_04_IoBound} (options:
 * {@code -Ddemo.args="--requests 50 --delay-ms 100 --modes platform,virtual"}). The server is a
 * {@link SlowServer} on {@code 127.0.0.1} in the same JVM; nothing leaves the machine. The Python
 * original, {@code src/main/python/io_bound.py}, does the same with {@code urllib}.
 *
 * <p>What to observe (2 cores shared with other jobs, load average 26; JDK 25.0.3):
 *
 * <pre>
 * 20 requests to http://127.0.0.1:45961/item/1..20, each answered after 200 ms (2 cores, Java 25.0.3+9-LTS)
 * one after the other              20/20 answered in  4239 ms, at most  1 held by the server at once
 * a platform thread per request    20/20 answered in   484 ms, at most 20 held by the server at once, speed-up 8.7x
 * a virtual thread per request     20/20 answered in   439 ms, at most 20 held by the server at once, speed-up 9.6x
 * </pre>
 *
 * <ul>
 *   <li>One after the other, 20 requests cost 20 x 200 ms: the thread spends almost all of it
 *       waiting for the answer, and the CPU has nothing to do.</li>
 *   <li>With a thread per request, all 20 waits overlap (the server held 20 at once) and the whole
 *       batch costs about two requests, on a 2-core machine: a thread that waits for the network
 *       needs no core. (On this busy machine each request also costs some 10 ms of waiting for a
 *       core; the threads overlap that too.) That is why threads help I/O-bound work, in CPython
 *       too: a thread waiting on a socket releases the GIL.</li>
 *   <li>Platform and virtual threads come close at 20. They part at a thousand: a platform thread
 *       is an OS thread, slow to create (the OS reserves it a stack, often 1 MB of address space);
 *       a virtual thread is a small object the JVM mounts on one of a few carrier threads while it
 *       runs and unmounts while it waits. With {@code --requests 1000 --modes platform,virtual}
 *       on the same machine: platform 8956 ms (the server never held more than 213 at once: the
 *       first requests were answered before the last threads were created), virtual 3378 ms (785
 *       at once).</li>
 *   <li>Virtual threads and locks: up to JDK 23 a virtual thread that blocked inside
 *       {@code synchronized} stayed pinned to its carrier (the carrier could run nothing else);
 *       from JDK 24 on it unmounts there too (JEP 491). This course runs on JDK 21 and 25, so the
 *       two differ; this demo holds no lock while it waits, so it behaves the same on both.</li>
 * </ul>
 */
@Command(
        name = "basics-04",
        mixinStandardHelpOptions = true,
        description =
                "N requests to a slow local HTTP server: one after the other, a platform thread each, a virtual thread each.")
public final class Basics_04_IoBound implements Callable<Integer> {

    /** The three ways the demo sends its requests. */
    public enum Mode {
        /** One request, wait for its answer, then the next: the program as written without threads. */
        SEQUENTIAL("sequential", "one after the other"),
        /** {@code Thread.ofPlatform().start(...)} per request, then join them all: Python's {@code threading.Thread}. */
        PLATFORM("platform", "a platform thread per request"),
        /** {@code Executors.newVirtualThreadPerTaskExecutor()} in try-with-resources. */
        VIRTUAL("virtual", "a virtual thread per request");

        private final String option;
        private final String label;

        Mode(String option, String label) {
            this.option = option;
            this.label = label;
        }

        /** @return what the demo prints for this mode, e.g. {@code a virtual thread per request} */
        public String label() {
            return label;
        }

        /** @return the mode an option names ({@code sequential}, {@code platform}, {@code virtual}) */
        public static Optional<Mode> of(String option) {
            return Arrays.stream(values())
                    .filter(m -> m.option.equalsIgnoreCase(option.trim()))
                    .findFirst();
        }
    }

    /** One request: send it, wait for the answer, return the answer's body. */
    @FunctionalInterface
    interface Fetch {
        String get(URI uri) throws IOException, InterruptedException;
    }

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--requests",
            defaultValue = "20",
            description = "how many requests (1-1000, default ${DEFAULT-VALUE})")
    private int requests;

    @Option(
            names = "--delay-ms",
            defaultValue = "200",
            description = "how long the server takes to answer each, in ms (0-10000, default ${DEFAULT-VALUE})")
    private long delayMs;

    @Option(
            names = "--modes",
            split = ",",
            defaultValue = "sequential,platform,virtual",
            description =
                    "which ways to send them, comma-separated: sequential, platform, virtual (default ${DEFAULT-VALUE})")
    private List<String> modes;

    /** A client for the demo: HTTP/1.1 (what the JDK's server speaks), one connection per concurrent request. */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Python's {@code urllib.request.urlopen(url).read().decode()}: GET {@code uri} and return the
     * body; any status but 200 is a failure.
     *
     * @param timeout how long to wait for the answer before giving up
     * @throws IOException if the request fails or the answer is not 200
     */
    static String get(HttpClient client, URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the server answered " + response.statusCode() + " (" + response.body() + ")");
        }
        return response.body();
    }

    /**
     * Sends one request per URI, the way {@code mode} says, and waits for all of them.
     *
     * <p>Nothing is left running when it returns or throws: every thread it started has ended.
     *
     * @return the answers, in the order of {@code uris} (whichever finished first)
     * @throws IOException          if any request failed: its message names how many failed and
     *                              the first by its number and URI; the others are suppressed
     *                              exceptions. Every other request was still sent and answered.
     * @throws InterruptedException if interrupted while waiting; the requests in flight are
     *                              interrupted (cancelled) and have ended when it is thrown
     */
    static List<String> fetchAll(Mode mode, List<URI> uris, Fetch fetch) throws IOException, InterruptedException {
        return switch (mode) {
            case SEQUENTIAL -> sequential(uris, fetch);
            case PLATFORM -> platformThreadPerRequest(uris, fetch);
            case VIRTUAL -> virtualThreadPerRequest(uris, fetch);
        };
    }

    /** The program as written without threads: each request waits for the one before it. */
    static List<String> sequential(List<URI> uris, Fetch fetch) throws IOException, InterruptedException {
        Outcome[] outcomes = new Outcome[uris.size()];
        for (int i = 0; i < uris.size(); i++) {
            outcomes[i] = Outcome.of(fetch, uris.get(i)); // nothing else happens while this waits
        }
        return bodies(uris, outcomes);
    }

    /**
     * Python's {@code threading.Thread(target=fetch)} per request: start them all, then join them
     * all (module 01's pattern). Each thread writes only its own slot of {@code outcomes}; main
     * reads the slots after {@code join()}, which makes the threads' writes visible to it.
     */
    static List<String> platformThreadPerRequest(List<URI> uris, Fetch fetch) throws IOException, InterruptedException {
        Outcome[] outcomes = new Outcome[uris.size()];
        Thread.Builder builder = Thread.ofPlatform().name("request-", 1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < uris.size(); i++) {
                int slot = i;
                threads.add(builder.start(() -> outcomes[slot] = Outcome.of(fetch, uris.get(slot))));
            }
        } finally {
            joinAll(threads); // even if starting one failed: no thread outlives this method
        }
        return bodies(uris, outcomes);
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()} in try-with-resources: one virtual thread
     * per submitted task; {@code close()} waits for every task (if interrupted, it cancels them and
     * still waits), so after the block every answer is in.
     */
    static List<String> virtualThreadPerRequest(List<URI> uris, Fetch fetch) throws IOException, InterruptedException {
        List<Future<Outcome>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (URI uri : uris) {
                futures.add(executor.submit(() -> Outcome.of(fetch, uri)));
            }
        }
        if (Thread.interrupted()) { // close() was interrupted: it cancelled the requests, then waited for them
            throw new InterruptedException("interrupted while waiting for the requests; they were cancelled");
        }
        Outcome[] outcomes = new Outcome[uris.size()];
        for (int i = 0; i < futures.size(); i++) {
            Future<Outcome> future = futures.get(i);
            outcomes[i] = future.state() == Future.State.SUCCESS
                    ? future.resultNow()
                    : new Outcome(null, new IOException("not run: " + future.state()));
        }
        return bodies(uris, outcomes);
    }

    /** Joins every thread; if interrupted, interrupts them (cancelling their requests) and still joins them. */
    private static void joinAll(List<Thread> threads) throws InterruptedException {
        InterruptedException interrupted = null;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    if (interrupted == null) {
                        interrupted = e;
                        threads.forEach(Thread::interrupt);
                    }
                }
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
    }

    /** What one request ended with: its answer's body, or why it has none. */
    record Outcome(String body, Exception failure) {
        static Outcome of(Fetch fetch, URI uri) {
            try {
                return new Outcome(fetch.get(uri), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, e);
            } catch (IOException | RuntimeException e) {
                return new Outcome(null, e);
            }
        }
    }

    /** Every request accounted for: all the bodies in request order, or one exception naming the failures. */
    private static List<String> bodies(List<URI> uris, Outcome[] outcomes) throws IOException {
        List<String> bodies = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        IOException failure = null;
        for (int i = 0; i < outcomes.length; i++) {
            Outcome outcome = outcomes[i];
            Exception cause = outcome == null ? new IOException("no outcome recorded") : outcome.failure();
            if (cause == null) {
                bodies.add(outcome.body());
                continue;
            }
            IOException named =
                    new IOException("request " + (i + 1) + " (" + uris.get(i) + "): " + cause.getMessage(), cause);
            failed.add(String.valueOf(i + 1));
            if (failure == null) {
                failure = named;
            } else {
                failure.addSuppressed(named);
            }
        }
        if (failure != null) {
            throw new IOException(
                    failed.size() + " of " + outcomes.length + " requests failed (numbers " + String.join(", ", failed)
                            + "; the others were answered); the first: " + failure.getMessage(),
                    failure);
        }
        return bodies;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Cli.require(spec, requests >= 1 && requests <= 1000, "--requests must be between 1 and 1000, was %d", requests);
        Cli.require(spec, delayMs >= 0 && delayMs <= 10_000, "--delay-ms must be between 0 and 10000, was %d", delayMs);
        List<Mode> chosen = new ArrayList<>();
        for (String name : modes) {
            Optional<Mode> mode = Mode.of(name);
            Cli.require(spec, mode.isPresent(), "--modes takes sequential, platform, virtual; not %s", name);
            chosen.add(mode.orElseThrow());
        }
        run(
                requests,
                Duration.ofMillis(delayMs),
                chosen,
                Sleeper.real(),
                spec.commandLine().getOut());
        return 0;
    }

    /**
     * The demo: starts the server, sends one request to warm up (untimed), runs each mode with a
     * fresh client, prints what it measured, and closes everything, also when a mode fails.
     *
     * @return what each mode measured, in the order run
     */
    static Map<Mode, ModeRun> run(
            int requests, Duration delay, List<Mode> modes, Sleeper serverSleeper, PrintWriter out)
            throws IOException, InterruptedException {
        Map<Mode, ModeRun> runs = new EnumMap<>(Mode.class);
        try (SlowServer server = SlowServer.start(delay, serverSleeper)) {
            out.printf(
                    "%d requests to %sitem/1..%d, each answered after %d ms (%d cores, Java %s)%n",
                    requests,
                    server.base(),
                    requests,
                    delay.toMillis(),
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            timeMode(server, Mode.SEQUENTIAL, 1); // warm-up, not timed: the first request loads the HTTP classes
            for (Mode mode : modes) {
                ModeRun run = timeMode(server, mode, requests);
                runs.put(mode, run);
                String speedUp = mode != Mode.SEQUENTIAL && runs.containsKey(Mode.SEQUENTIAL)
                        ? String.format(
                                Locale.ROOT,
                                ", speed-up %.1fx",
                                (double) runs.get(Mode.SEQUENTIAL).nanos() / run.nanos())
                        : "";
                out.printf(
                        Locale.ROOT,
                        "%-32s %d/%d answered in %5d ms, at most %2d held by the server at once%s%n",
                        mode.label,
                        run.answeredRight(),
                        requests,
                        run.nanos() / 1_000_000,
                        run.maxHeldAtOnce(),
                        speedUp);
                out.flush();
            }
        }
        return runs;
    }

    /**
     * What one mode measured.
     *
     * @param nanos         wall time from the first request sent to the last answer in
     * @param answeredRight answers whose body was the item asked for ({@code item <n>})
     * @param maxHeldAtOnce the most requests the server held at the same moment
     */
    public record ModeRun(long nanos, int answeredRight, int maxHeldAtOnce) {}

    /**
     * Sends {@code requests} requests to {@code server} the way {@code mode} says, with a fresh
     * client (so no mode reuses another's connections), and times them.
     */
    public static ModeRun timeMode(SlowServer server, Mode mode, int requests)
            throws IOException, InterruptedException {
        List<URI> uris =
                IntStream.rangeClosed(1, requests).mapToObj(server::item).toList();
        Duration timeout = server.delay().plusSeconds(30);
        server.resetCounts();
        try (HttpClient client = newClient()) {
            long start = System.nanoTime();
            List<String> bodies = fetchAll(mode, uris, uri -> get(client, uri, timeout));
            long nanos = System.nanoTime() - start;
            int right = (int) IntStream.range(0, requests)
                    .filter(i -> bodies.get(i).equals("item " + (i + 1)))
                    .count();
            return new ModeRun(nanos, right, server.maxHeldAtOnce());
        }
    }

    /** Usage: {@code [--requests N] [--delay-ms MS] [--modes sequential,platform,virtual]}; bad values print usage and exit 2. */
    public static void main(String[] args) {
        Cli.exit(new Basics_04_IoBound(), args);
    }
}
