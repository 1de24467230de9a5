package dev.threadlab.multiprocessing.pool;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A chunk of tasks that did not produce its results, and why: the task threw (the cause is a
 * {@link RemoteTaskException} with the task's exception type and message), the worker died (its
 * pid and exit code are in the message), the chunk ran out of time, or the pool was closed.
 * Every submitted chunk ends either with its results or with one of these: none is lost.
 * Exercise 06.1 reports a one-shot worker's failure with it too: a non-zero exit code
 * ({@link Reason#WORKER_DIED}), or a child past its timeout ({@link Reason#TIMED_OUT}).
 *
 * <pre>
 * thousandDividedBy(0) threw java.lang.ArithmeticException: / by zero (worker pid 41872)
 * rendezvous(40391) failed: worker pid 41872 died with exit code 137 (killed by signal 9, SIGKILL) while running it
 * rendezvous(40391) timed out after 200 ms on worker pid 41872, which was killed
 * square on [1, 2, 3] was not run: the pool was closed first
 * </pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class TaskFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a chunk failed. */
    public enum Reason {
        /** The task threw; the cause is a {@link RemoteTaskException}. The worker lives on. */
        TASK_THREW,
        /** The worker process ended (killed, crashed, halted) or broke the protocol; it is replaced. */
        WORKER_DIED,
        /** The chunk ran longer than its timeout; its worker was killed and is replaced. */
        TIMED_OUT,
        /** The pool was closed before the chunk finished. */
        POOL_CLOSED
    }

    /** @serial why the chunk failed */
    private final Reason reason;
    /** @serial the worker's pid, or -1 if no worker ran the chunk */
    private final long workerPid;
    /** @serial the index in the chunk of the item that threw, or -1 */
    private final int failedIndex;

    /**
     * @param reason      why the chunk failed
     * @param message     the whole explanation, naming the task and the worker
     * @param workerPid   the pid of the worker that ran it, or -1
     * @param failedIndex for {@link Reason#TASK_THREW}, the index in the chunk of the item that threw; else -1
     * @param cause       the task's exception, or what broke; may be null
     */
    public TaskFailedException(Reason reason, String message, long workerPid, int failedIndex, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.workerPid = workerPid;
        this.failedIndex = failedIndex;
    }

    /** @return why the chunk failed */
    public Reason reason() {
        return reason;
    }

    /** @return the pid of the worker that ran the chunk, or -1 if none did */
    public long workerPid() {
        return workerPid;
    }

    /** @return for {@link Reason#TASK_THREW}, the index in the chunk of the item that threw; else -1 */
    public int failedIndex() {
        return failedIndex;
    }

    /** The longest an item is shown in a message; a longer one is cut, with its length. */
    static final int MAX_ITEM_CHARS = 60;

    /**
     * How a chunk is named in messages: {@code square(3)} for one item, {@code square on [1, 2, 3]}
     * for several (the first five, then how many more); an item longer than
     * {@value #MAX_ITEM_CHARS} characters shows its start and its length.
     */
    static String describe(String task, List<?> items) {
        if (items.size() == 1) {
            return task + "(" + abbreviate(items.get(0)) + ")";
        }
        String shown =
                items.stream().limit(5).map(TaskFailedException::abbreviate).collect(Collectors.joining(", "));
        return task + " on [" + shown + (items.size() > 5 ? ", … " + (items.size() - 5) + " more" : "") + "]";
    }

    /** @return {@code item} as text, cut to {@value #MAX_ITEM_CHARS} characters and its length if longer */
    static String abbreviate(Object item) {
        String text = String.valueOf(item);
        if (text.length() <= MAX_ITEM_CHARS) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(MAX_ITEM_CHARS - 1)) ? MAX_ITEM_CHARS - 1 : MAX_ITEM_CHARS;
        return text.substring(0, cut) + "… (" + text.length() + " chars)";
    }

    /** The meaning of an exit code as {@link Process#exitValue()} reports it on Unix (128 + signal). */
    static String exitCode(int code) {
        if (code <= 128 || code > 128 + 64) {
            return "exit code " + code;
        }
        int signal = code - 128;
        String name = switch (signal) {
            case 6 -> ", SIGABRT";
            case 9 -> ", SIGKILL";
            case 11 -> ", SIGSEGV";
            case 15 -> ", SIGTERM";
            default -> "";
        };
        return "exit code " + code + " (killed by signal " + signal + name + ")";
    }
}
