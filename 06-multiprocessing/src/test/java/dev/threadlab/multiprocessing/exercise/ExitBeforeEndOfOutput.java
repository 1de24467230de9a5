package dev.threadlab.multiprocessing.exercise;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real worker JVM's {@link Process}, as {@link RealLauncher} hands it to the run: the end of its
 * stdout is seen only once the process has exited (a read that meets it waits for the exit), and
 * it remembers whether the run asked it to end. A real JVM's output closes as it exits, but whether
 * the run then finds it exited ({@code isAlive()}, {@code exitValue()}) would be up to the
 * operating system's timing: here it always has. Whether a run waits for the exit itself is
 * judged on scripted children, where the end of the output and the exit are apart by construction.
 */
final class ExitBeforeEndOfOutput extends Process {

    private final Process process;
    private final InputStream stdout;
    private final AtomicBoolean askedToEnd = new AtomicBoolean();

    ExitBeforeEndOfOutput(Process process) {
        this.process = process;
        this.stdout = new FilterInputStream(process.getInputStream()) {
            @Override
            public int read() throws IOException {
                return atExitIfEnded(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return atExitIfEnded(super.read(b, off, len));
            }
        };
    }

    /** @return {@code n}, once the process has exited if {@code n} is the end of the output */
    private int atExitIfEnded(int n) {
        if (n >= 0) {
            return n;
        }
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor(); // the output has ended: the process is exiting
                break;
            } catch (InterruptedException e) {
                interrupted = true; // kept for the reader, once the exit is seen
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return n;
    }

    /** @return whether the run called {@code destroy()} or {@code destroyForcibly()} */
    boolean askedToEnd() {
        return askedToEnd.get();
    }

    /** @return the process itself */
    Process process() {
        return process;
    }

    @Override
    public OutputStream getOutputStream() {
        return process.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return process.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void destroy() {
        askedToEnd.set(true);
        process.destroy();
    }

    @Override
    public Process destroyForcibly() {
        askedToEnd.set(true);
        process.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return process.supportsNormalTermination();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return process.toHandle();
    }
}
