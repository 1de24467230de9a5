package dev.threadlab.multiprocessing.pool;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jcip.annotations.ThreadSafe;

/**
 * The registry of task functions a worker can run, by name. CPython's {@code Pool.map(func, ...)}
 * pickles a reference to {@code func} (its module and name) and the worker imports it; here the
 * pool sends the name and the worker looks it up in this same class, which both JVMs load from
 * the same class path. Each task takes one argument, like {@code Pool.map}'s {@code func}.
 *
 * <table>
 *   <caption>The tasks</caption>
 *   <tr><th>name</th><th>argument</th><th>result</th></tr>
 *   <tr><td>{@code echo}</td><td>any value</td><td>the argument (for round-trip timing)</td></tr>
 *   <tr><td>{@code square}</td><td>whole number n</td><td>n * n</td></tr>
 *   <tr><td>{@code countPrimes}</td><td>whole number limit</td><td>how many primes are below it, by trial
 *       division: the CPU-bound work of the lesson</td></tr>
 *   <tr><td>{@code thousandDividedBy}</td><td>whole number n</td><td>1000 / n; 0 throws
 *       {@code ArithmeticException: / by zero}</td></tr>
 *   <tr><td>{@code fail}</td><td>a message</td><td>throws {@code IllegalStateException} with it</td></tr>
 *   <tr><td>{@code incrementCounter}</td><td>ignored</td><td>adds 1 to a static counter of the JVM that
 *       runs it and returns the new value</td></tr>
 *   <tr><td>{@code pid}</td><td>ignored</td><td>the process id of the JVM that runs it</td></tr>
 *   <tr><td>{@code rendezvous}</td><td>a TCP port on the loopback address</td><td>connects to it, sends
 *       its pid (8 bytes), then waits until the other side closes or writes a byte; returns the
 *       pid. Lets a test or demo know, without guessing with time, that the task has started and
 *       on which worker, and then hold it running (see {@link Rendezvous})</td></tr>
 *   <tr><td>{@code httpGet}</td><td>an {@code http://} URL</td><td>GETs it and returns the body as
 *       text: the I/O-bound work of the lesson (the thread waits for the server, using no CPU), like
 *       {@code urllib.request.urlopen(url).read()}</td></tr>
 *   <tr><td>{@code halt}</td><td>exit code</td><td>ends the JVM at once ({@code Runtime.halt}),
 *       as a crash would</td></tr>
 * </table>
 *
 * <p>Thread-safety: the registry is immutable; the counter is atomic.
 */
@ThreadSafe
public final class Tasks {

    /** A task function: one argument in, one result out, both protocol values. */
    @FunctionalInterface
    public interface Task {
        /**
         * @param argument one of the values {@link Protocol} carries
         * @return a value {@link Protocol} carries
         * @throws Exception anything; the pool reports it as the task's failure
         */
        Object run(Object argument) throws Exception;
    }

    private static final AtomicLong COUNTER = new AtomicLong();

    /**
     * The tasks, one constant each. Constant bodies rather than lambdas: a worker JVM loads this
     * class first thing, and every lambda's first use costs a bootstrap (a few ms each) at start-up.
     */
    private enum Builtin implements Task {
        ECHO("echo") {
            @Override
            public Object run(Object argument) {
                return argument;
            }
        },
        SQUARE("square") {
            @Override
            public Object run(Object argument) {
                long n = wholeNumber(this, argument);
                return Math.multiplyExact(n, n);
            }
        },
        COUNT_PRIMES("countPrimes") {
            @Override
            public Object run(Object argument) {
                return countPrimes(wholeNumber(this, argument));
            }
        },
        THOUSAND_DIVIDED_BY("thousandDividedBy") {
            @Override
            public Object run(Object argument) {
                return 1000 / wholeNumber(this, argument);
            }
        },
        FAIL("fail") {
            @Override
            public Object run(Object argument) {
                throw new IllegalStateException(String.valueOf(argument));
            }
        },
        INCREMENT_COUNTER("incrementCounter") {
            @Override
            public Object run(Object argument) {
                return COUNTER.incrementAndGet();
            }
        },
        PID("pid") {
            @Override
            public Object run(Object argument) {
                return ProcessHandle.current().pid();
            }
        },
        RENDEZVOUS("rendezvous") {
            @Override
            public Object run(Object argument) throws IOException {
                return rendezvous((int) wholeNumber(this, argument));
            }
        },
        HTTP_GET("httpGet") {
            @Override
            public Object run(Object argument) throws IOException {
                if (!(argument instanceof String url) || !url.startsWith("http://")) {
                    throw new IllegalArgumentException("httpGet takes an http:// URL, not " + argument);
                }
                return httpGet(url);
            }
        },
        HALT("halt") {
            @Override
            public Object run(Object argument) {
                Runtime.getRuntime().halt((int) wholeNumber(this, argument));
                return null; // not reached
            }
        };

        private final String taskName;

        Builtin(String taskName) {
            this.taskName = taskName;
        }
    }

    private static final Map<String, Task> REGISTRY;

    static {
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (Builtin task : Builtin.values()) {
            tasks.put(task.taskName, task);
        }
        REGISTRY = Collections.unmodifiableMap(tasks);
    }

    private Tasks() {}

    /**
     * @return the task registered under {@code name}
     * @throws IllegalArgumentException if there is none, listing the names there are
     */
    public static Task lookup(String name) {
        Task task = REGISTRY.get(name);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; the tasks are " + REGISTRY.keySet());
        }
        return task;
    }

    /** @return the registered task names, in the order of the table above */
    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    /** @return this JVM's counter, as {@code incrementCounter} tasks run in this JVM left it */
    public static long counter() {
        return COUNTER.get();
    }

    /**
     * How many primes are below {@code limit}, by trial division: deliberately slow, CPU-bound
     * and allocation-free, the same algorithm as {@code count_primes} in the module's Python
     * original ({@code src/main/python/threads_vs_pool.py}).
     *
     * @param limit exclusive upper bound; below 3 there are none
     * @return the number of primes p with 2 &lt;= p &lt; limit
     */
    public static long countPrimes(long limit) {
        long count = 0;
        for (long n = 2; n < limit; n++) {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    /**
     * GETs {@code url} and returns its body: blocking I/O, the thread waits for the answer.
     *
     * @throws IOException if the server cannot be reached or does not answer 200
     */
    public static String httpGet(String url) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(60_000);
        connection.setReadTimeout(60_000);
        try (InputStream body = connection.getInputStream()) {
            if (connection.getResponseCode() != 200) {
                throw new IOException("GET " + url + " answered " + connection.getResponseCode());
            }
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long rendezvous(int port) throws IOException {
        long pid = ProcessHandle.current().pid();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeLong(pid);
            out.flush();
            InputStream in = socket.getInputStream();
            in.read(); // until the other side writes a byte or closes
        }
        return pid;
    }

    private static long wholeNumber(Builtin task, Object argument) {
        if (argument instanceof Long
                || argument instanceof Integer
                || argument instanceof Short
                || argument instanceof Byte) {
            return ((Number) argument).longValue(); // what the protocol does to them on the way
        }
        throw new IllegalArgumentException(task.taskName + " takes a whole number, not "
                + (argument == null ? "null" : argument.getClass().getSimpleName() + " " + argument));
    }
}
