package dev.threadlab.multiprocessing.solution;

import dev.threadlab.multiprocessing.exercise.RunAWorker;
import dev.threadlab.multiprocessing.pool.Launcher;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference {@link RunAWorker} (spoilers: try {@code YourRunAWorker} first). Python's
 * {@code p.join(timeout)}, then {@code p.terminate()} and {@code p.kill()} for a child that
 * outstays it, in Java's {@link Process} API: {@code waitFor} with a limit, {@code destroy},
 * {@code destroyForcibly}, and a wait after each, since a signal only asks.
 *
 * <p>Thread-safety: stateless; each call owns its own child.
 */
@ThreadSafe
public final class ReferenceRunAWorker implements RunAWorker {

    @Override
    public String run(Launcher launcher, Duration timeout, Duration grace)
            throws TaskFailedException, InterruptedException, IOException {
        Process child = launcher.start();
        boolean exited;
        try {
            exited = child.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupt) {
            end(child, grace); // the caller wants us gone: take the child with us
            throw interrupt;
        }
        if (!exited) {
            end(child, grace);
            throw new TaskFailedException(
                    Reason.TIMED_OUT,
                    "worker pid " + child.pid() + " was still running after " + timeout.toMillis()
                            + " ms, and was ended",
                    child.pid(),
                    -1,
                    null);
        }
        // It has exited: its short answer waits in the pipe, and its exit code is known.
        String answer = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = child.exitValue();
        if (code != 0) {
            throw new TaskFailedException(
                    Reason.WORKER_DIED,
                    "worker pid " + child.pid() + " failed with exit code " + code,
                    child.pid(),
                    -1,
                    null);
        }
        return answer;
    }

    /** Asks the child to end, waits up to {@code grace}, then kills it: when this returns, it has exited. */
    private static void end(Process child, Duration grace) {
        child.destroy(); // SIGTERM: the child may clean up (its shutdown hooks run)
        try {
            if (child.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt(); // told again to hurry: no more grace, and keep the news
        }
        child.destroyForcibly().onExit().join(); // SIGKILL cannot be ignored; join waits, deaf to interrupts
    }
}
