package dev.threadlab.basics.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.threadlab.common.time.Sleeper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jcip.annotations.ThreadSafe;

/**
 * A stand-in for a slow remote service: an HTTP server on the loopback interface (never reachable
 * from another machine) that answers {@code GET /item/<n>} with {@code item <n>} after a fixed
 * delay. It is the JDK's own {@link HttpServer}; each request is handled on a virtual thread of
 * its own, so the server holds as many requests at once as clients send; it is never the
 * bottleneck of the demo.
 *
 * <p>The delay goes through a {@link Sleeper}: the demo passes {@link Sleeper#real()}; a test passes
 * one that makes it instant, or that holds each request until enough are waiting together to prove
 * the client sent them concurrently.
 *
 * <p>It counts what it did: requests answered, and the most requests it held at once (a request
 * is "held" from its arrival until its delay is over, just before the answer is written, so a
 * client that sends one request after the other never has two held at once). Both counts change
 * before the answer is written, so a client that has its answers reads final counts.
 *
 * <p>Close it (try-with-resources): the listening socket, the dispatcher thread and every handler
 * are gone when {@link #close()} returns.
 */
@ThreadSafe
public final class SlowServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers;
    private final Duration delay;
    private final Sleeper sleeper;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger maxHeld = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();

    private SlowServer(HttpServer server, ExecutorService handlers, Duration delay, Sleeper sleeper) {
        this.server = server;
        this.handlers = handlers;
        this.delay = delay;
        this.sleeper = sleeper;
    }

    /**
     * Starts a server on {@code 127.0.0.1}, on a free port the OS picks.
     *
     * @param delay   how long each request waits before it is answered
     * @param sleeper how the wait is spent ({@link Sleeper#real()} in the demo)
     * @throws IOException if the server cannot bind
     */
    public static SlowServer start(Duration delay, Sleeper sleeper) throws IOException {
        // backlog 1000: a burst of connections waits in the kernel's queue instead of being refused
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("server-", 1).factory());
        SlowServer slow = new SlowServer(server, handlers, delay, sleeper);
        server.setExecutor(handlers);
        server.createContext("/", slow::handle);
        server.start();
        return slow;
    }

    /** @return the URI of item {@code n}: {@code http://127.0.0.1:<port>/item/<n>} */
    public URI item(int n) {
        return base().resolve("/item/" + n);
    }

    /** @return {@code http://127.0.0.1:<port>/} */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** @return the delay before each answer */
    public Duration delay() {
        return delay;
    }

    /**
     * @return how many requests were answered (with any status) since the start or the last
     *         {@link #resetCounts()}; a request is counted just before its answer is written, so
     *         once a client has its answer, the answer is counted
     */
    public int answered() {
        return answered.get();
    }

    /** @return the most requests held at the same moment since the start or the last {@link #resetCounts()} */
    public int maxHeldAtOnce() {
        return maxHeld.get();
    }

    /** Starts counting afresh; call it between two runs, when no request is in progress. */
    public void resetCounts() {
        answered.set(0);
        maxHeld.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            String body;
            maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
            try {
                sleeper.sleep(delay); // the slow part of a real service: a disk, a database, another server
                String path = exchange.getRequestURI().getPath();
                if (path.matches("/item/\\d+")) {
                    body = "item " + path.substring("/item/".length());
                } else {
                    status = 404;
                    body = "no such item: " + path;
                }
            } catch (InterruptedException e) { // the server is closing
                Thread.currentThread().interrupt();
                status = 503;
                body = "server closing";
            } finally {
                held.decrementAndGet(); // before answering: the client may send its next request at once
            }
            answered.incrementAndGet(); // before answering: a client holding its answer finds it counted
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Stops listening, interrupts requests still being held (they are answered {@code 503}) and
     * waits until every handler has finished.
     */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        handlers.close();
    }
}
