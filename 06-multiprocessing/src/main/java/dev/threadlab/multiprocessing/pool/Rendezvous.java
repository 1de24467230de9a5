package dev.threadlab.multiprocessing.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jcip.annotations.ThreadSafe;

/**
 * The parent's end of the {@code rendezvous} task (see {@link Tasks}): a server socket on the
 * loopback address that a task calls back when it starts, so the parent learns, without guessing
 * with time, that the task is running and on which worker; the task then keeps running until the
 * parent releases it (or its worker dies).
 *
 * <pre>{@code
 * try (Rendezvous rendezvous = Rendezvous.open()) {
 *     var chunk = pool.submit("rendezvous", List.of(rendezvous.port()));
 *     long pid = rendezvous.awaitTask(Duration.ofSeconds(30));   // the task is running in worker pid
 *     ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9 it mid-task
 * }
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
@ThreadSafe
public final class Rendezvous implements AutoCloseable {

    private final ServerSocket server;

    @GuardedBy("this")
    private final List<Socket> tasks = new ArrayList<>();

    private Rendezvous(ServerSocket server) {
        this.server = server;
    }

    /**
     * Listens on a free port of the loopback address.
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static Rendezvous open() {
        try {
            return new Rendezvous(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback address", e);
        }
    }

    /** @return the port to pass as the {@code rendezvous} task's argument */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Waits for the next {@code rendezvous} task to call back.
     *
     * @param timeout how long to wait at most, positive
     * @return the pid of the worker JVM running that task
     * @throws IOException if no task calls back within {@code timeout} (the message says so), or
     *                     the socket fails
     */
    public long awaitTask(Duration timeout) throws IOException {
        server.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        Socket task;
        try {
            task = server.accept();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException(
                    "no rendezvous task called back on port " + port() + " within " + timeout.toMillis() + " ms");
        }
        synchronized (this) {
            tasks.add(task);
        }
        return new DataInputStream(task.getInputStream()).readLong();
    }

    /** Lets every task that called back finish: each returns its worker's pid. */
    public synchronized void releaseAll() {
        for (Socket task : tasks) {
            try {
                task.close();
            } catch (IOException e) {
                // already gone: its worker died
            }
        }
        tasks.clear();
    }

    /** Releases every task and stops listening. */
    @Override
    public void close() {
        releaseAll();
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
