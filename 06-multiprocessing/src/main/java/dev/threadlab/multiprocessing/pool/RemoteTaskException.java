package dev.threadlab.multiprocessing.pool;

import java.util.List;

/**
 * The exception a task threw inside a worker JVM, rebuilt in the pool from what crossed the pipe:
 * its type name, its message and its stack frames, never the object itself. It is the cause of a
 * {@link TaskFailedException} with reason {@link TaskFailedException.Reason#TASK_THREW}, the way
 * CPython chains a {@code multiprocessing.pool.RemoteTraceback} to the re-raised exception.
 *
 * <pre>
 * dev.threadlab.multiprocessing.pool.RemoteTaskException: java.lang.ArithmeticException: / by zero
 *     at dev.threadlab.multiprocessing.pool.Tasks.lambda$static$3(Tasks.java:75)
 *     ... (the frames of the worker JVM)
 * </pre>
 *
 * <p>Thread-safety: immutable once built.
 */
public final class RemoteTaskException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @serial the remote exception's class name */
    private final String remoteType;
    /** @serial the remote exception's message, may be null */
    private final String remoteMessage;

    /**
     * @param remoteType    the class name of the exception in the worker, e.g. {@code java.lang.ArithmeticException}
     * @param remoteMessage its message, may be {@code null}
     * @param trace         its stack frames in the worker
     */
    public RemoteTaskException(String remoteType, String remoteMessage, List<StackTraceElement> trace) {
        super(remoteMessage == null ? remoteType : remoteType + ": " + remoteMessage);
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        setStackTrace(trace.toArray(StackTraceElement[]::new));
    }

    /** @return the class name of the exception the task threw in the worker */
    public String remoteType() {
        return remoteType;
    }

    /** @return the message of the exception the task threw, or {@code null} */
    public String remoteMessage() {
        return remoteMessage;
    }
}
