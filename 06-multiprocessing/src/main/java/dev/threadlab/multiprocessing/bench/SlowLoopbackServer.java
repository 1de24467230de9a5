package dev.threadlab.multiprocessing.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.threadlab.common.time.Sleeper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jcip.annotations.ThreadSafe;

/**
 * An HTTP server on the loopback address that answers every {@code GET} after a fixed delay, as a
 * slow remote service would: the I/O-bound workload of the benchmark. The client's thread waits
 * for the answer and uses no CPU meanwhile, which is why threads help here even in CPython (a
 * thread blocked on a socket releases the GIL).
 *
 * <p>Each request is handled on its own virtual thread, so any number of requests wait at once and
 * the server never queues them: a client that sends N requests together gets N answers after one
 * delay. The body is the request's path, so a client can check that each answer is its own.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} stops it.
 */
@ThreadSafe
public final class SlowLoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    private SlowLoopbackServer(Duration delay, Sleeper sleeper) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback address", e);
        }
        server.createContext("/", exchange -> answer(exchange, delay, sleeper));
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * Starts a server on a free port of the loopback address.
     *
     * @param delay how long each answer waits, at least 0
     */
    public static SlowLoopbackServer start(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
        return new SlowLoopbackServer(delay, Sleeper.real());
    }

    /** @return the URL of {@code path} on this server, e.g. {@code http://127.0.0.1:40123/request-3} */
    public String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path;
    }

    private static void answer(HttpExchange exchange, Duration delay, Sleeper sleeper) throws IOException {
        try (exchange) {
            try {
                sleeper.sleep(delay); // the "remote service" takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops listening and ends the handlers. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
