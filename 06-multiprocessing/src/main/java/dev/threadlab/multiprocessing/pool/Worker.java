package dev.threadlab.multiprocessing.pool;

import dev.threadlab.multiprocessing.pool.Protocol.Chunk;
import dev.threadlab.multiprocessing.pool.Protocol.Failed;
import dev.threadlab.multiprocessing.pool.Protocol.Hello;
import dev.threadlab.multiprocessing.pool.Protocol.Message;
import dev.threadlab.multiprocessing.pool.Protocol.ProtocolException;
import dev.threadlab.multiprocessing.pool.Protocol.Results;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import net.jcip.annotations.ThreadSafe;

/**
 * The {@code main} of a worker JVM, the counterpart of CPython's {@code multiprocessing.pool.worker}
 * function: say hello, then forever read a chunk from stdin, run its task on every item, write the
 * results (or the first failure) to stdout.
 *
 * <p>Two threads, so that a worker never outlives its parent:
 * <ul>
 *   <li>the <b>reader</b> ({@code main}) reads frames from stdin and hands each chunk over. When
 *       stdin ends (the pool closed it, or the parent died and the OS closed the pipe), it exits
 *       the JVM at once, even in the middle of a task, with status 0. A malformed frame exits with
 *       {@value #EXIT_PROTOCOL_ERROR}.</li>
 *   <li>the <b>runner</b> runs the tasks and writes the answers.</li>
 * </ul>
 * A single thread could not do both: while it runs a task nobody would read stdin, and a worker
 * whose parent died in the middle of a long (or stuck) task would be left running, an orphan.
 *
 * <p>Everything a task prints with {@code System.out} goes to stderr: stdout carries the protocol,
 * and one stray line would corrupt it.
 *
 * <p>Thread-safety: {@link #serve} is called once per worker; the two threads share only the
 * hand-over queue.
 */
@ThreadSafe
public final class Worker {

    /** Exit status after a malformed frame ({@code EX_DATAERR} of BSD's {@code sysexits.h}). */
    public static final int EXIT_PROTOCOL_ERROR = 65;

    /** Exit status for bad command-line arguments (the course's usage status). */
    public static final int EXIT_USAGE = 2;

    private Worker() {}

    /**
     * Runs a worker on this process's stdin and stdout; exits the JVM when stdin ends.
     * Takes no arguments: the pool starts it ({@link WorkerProcess}), not a person.
     */
    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: java -cp <class path> " + Worker.class.getName()
                    + " (no arguments: a ProcessPool starts it and speaks " + Protocol.class.getSimpleName()
                    + " on its stdin and stdout)");
            System.exit(EXIT_USAGE);
        }
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        Exit halt = new Exit() { // an anonymous class, not a method reference: no bootstrap at start-up
                    @Override
                    public void exit(int status) {
                        Runtime.getRuntime().halt(status); // nothing to clean up: no shutdown hooks to run
                    }
                };
        halt.exit(serve(new FileInputStream(FileDescriptor.in), stdout, System.err, halt));
    }

    /** What the reader does when stdin ends or breaks: in a worker JVM, {@code Runtime.halt}. */
    @FunctionalInterface
    public interface Exit {
        /** @param status 0 for end of input, {@value #EXIT_PROTOCOL_ERROR} for a malformed frame */
        void exit(int status);
    }

    /**
     * Serves the protocol: writes a hello, then runs every chunk read from {@code input} and
     * answers on {@code output}, until the input ends.
     *
     * @param log  where the worker reports why it stops (a worker JVM passes its stderr)
     * @param exit called by the reader when the input ends (status 0) or is malformed (status
     *             {@value #EXIT_PROTOCOL_ERROR}); a worker JVM passes {@code Runtime.halt} so that
     *             it ends at once, even in the middle of a task. If {@code exit} returns, {@code serve}
     *             returns the status once the task in progress has finished.
     * @return the exit status
     */
    public static int serve(InputStream input, OutputStream output, PrintStream log, Exit exit) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(input, 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(output, 1 << 16));
        SynchronousQueue<Object> handOver = new SynchronousQueue<>();
        Thread runner = new Thread(
                new Runnable() { // not a lambda: no bootstrap at start-up
                    @Override
                    public void run() {
                        Worker.run(handOver, out);
                    }
                },
                "worker-runner");
        runner.setDaemon(true);
        runner.start();
        int status;
        try {
            Protocol.write(out, new Hello(Protocol.VERSION));
            status = read(in, handOver, log);
        } catch (IOException e) {
            log.println("worker: cannot write to the pool (" + e.getMessage() + "); exiting");
            status = 0;
        }
        exit.exit(status);
        try {
            handOver.put(END);
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    /** Marks the end of input for the runner. */
    private static final Object END = new Object();

    private static int read(DataInputStream in, SynchronousQueue<Object> handOver, PrintStream log) {
        try {
            for (Message message = Protocol.read(in); message != null; message = Protocol.read(in)) {
                if (!(message instanceof Chunk chunk)) {
                    throw new ProtocolException("a worker expects chunks, not a "
                            + message.getClass().getSimpleName());
                }
                handOver.put(chunk);
            }
            return 0;
        } catch (ProtocolException e) {
            log.println("worker: protocol error: " + e.getMessage());
            return EXIT_PROTOCOL_ERROR;
        } catch (IOException e) {
            return 0; // stdin broke: the parent is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void run(SynchronousQueue<Object> handOver, DataOutputStream out) {
        try {
            for (Object next = handOver.take(); next != END; next = handOver.take()) {
                Protocol.write(out, answer((Chunk) next));
            }
        } catch (InterruptedException | IOException e) {
            // the parent is gone or stopped reading: the reader ends the JVM
        }
    }

    /** Runs the chunk's task on each item; the first item that throws ends the chunk. */
    static Message answer(Chunk chunk) {
        List<Object> results = new ArrayList<>(chunk.items().size());
        for (int i = 0; i < chunk.items().size(); i++) {
            try {
                Object result = Tasks.lookup(chunk.task()).run(chunk.items().get(i));
                Protocol.checkValue(result);
                results.add(result);
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                return Failed.of(chunk.id(), i, e);
            }
        }
        return new Results(chunk.id(), results);
    }
}
