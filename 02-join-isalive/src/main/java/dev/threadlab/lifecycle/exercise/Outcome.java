package dev.threadlab.lifecycle.exercise;

import java.util.Objects;

/**
 * What became of one worker of a {@link Supervisor}: it finished with a result, failed with an
 * exception, or was cancelled because it was still running at the deadline. Exactly one outcome
 * per worker; a {@code switch} over the three cases is exhaustive.
 *
 * <pre>{@code
 * String line = switch (outcome) {
 *     case Outcome.Finished<String> f -> f.worker() + " returned " + f.result();
 *     case Outcome.Failed<String> f -> f.worker() + " threw " + f.error();
 *     case Outcome.Cancelled<String> c -> c.worker() + " was interrupted at the deadline";
 * };
 * }</pre>
 *
 * <p>Thread-safety: immutable (records of final fields; the result and the exception are the
 * worker's own objects, shared as they are).
 *
 * @param <T> the type of a task's result
 */
public sealed interface Outcome<T> {

    /** @return the name of the worker thread, {@code worker-1} for the first task */
    String worker();

    /**
     * The worker's task returned before the deadline.
     *
     * @param worker the worker thread's name
     * @param result what the task returned (may be {@code null} if the task returned null)
     */
    record Finished<T>(String worker, T result) implements Outcome<T> {
        public Finished {
            Objects.requireNonNull(worker, "worker");
        }
    }

    /**
     * The worker's task threw before the deadline. In a bare thread this exception would go to
     * the thread's {@code UncaughtExceptionHandler} and never reach {@code join()}: the supervisor
     * catches it in the worker and keeps it here.
     *
     * @param worker the worker thread's name
     * @param error  the very exception (or error) the task threw
     */
    record Failed<T>(String worker, Throwable error) implements Outcome<T> {
        public Failed {
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The worker was still running when the shared deadline passed: the supervisor interrupted it
     * and waited for its thread to end. Whatever the task did after the interrupt is not reported.
     *
     * @param worker the worker thread's name
     */
    record Cancelled<T>(String worker) implements Outcome<T> {
        public Cancelled {
            Objects.requireNonNull(worker, "worker");
        }
    }
}
