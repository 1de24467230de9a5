package dev.threadlab.gil.solution;

import dev.threadlab.gil.exercise.AllowThreads;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference solution of exercise 05.2 (spoilers): {@code Py_BEGIN_ALLOW_THREADS} is the
 * {@code unlock()}, {@code Py_END_ALLOW_THREADS} the {@code lock()} in {@code finally}. The
 * {@code unlock()} comes before the {@code try}: when the caller does not hold the GIL it throws
 * {@link IllegalMonitorStateException} before anything else, and the {@code finally} block never
 * takes a GIL that was not let go.
 *
 * <p>Thread-safety: stateless.
 */
@ThreadSafe
public final class ReferenceAllowThreads implements AllowThreads {

    @Override
    public <T> T blockingCall(ReentrantLock gil, Callable<T> call) throws Exception {
        gil.unlock(); // Py_BEGIN_ALLOW_THREADS: other threads may run Python code meanwhile
        try {
            return call.call();
        } finally {
            gil.lock(); // Py_END_ALLOW_THREADS: waits while another thread has the GIL
        }
    }
}
