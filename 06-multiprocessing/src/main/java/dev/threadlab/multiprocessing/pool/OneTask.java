package dev.threadlab.multiprocessing.pool;

import java.io.PrintStream;
import net.jcip.annotations.ThreadSafe;

/**
 * The {@code main} of a one-shot worker JVM, the Java counterpart of the lesson's
 * {@code Process(target=f, args=(x,))} whose answer comes back through a pipe:
 * {@code java -cp <class path> OneTask <task> <argument>} runs one task of {@link Tasks} on one
 * argument, prints the result on stdout (one line) and exits. {@link Launcher#oneTask} starts one;
 * exercise 06.1 runs it.
 *
 * <pre>
 * $ java -cp … dev.threadlab.multiprocessing.pool.OneTask square 7          # prints 49, exit code 0
 * $ java -cp … dev.threadlab.multiprocessing.pool.OneTask thousandDividedBy 0  # exit code 1
 * $ java -cp … dev.threadlab.multiprocessing.pool.OneTask halt 3            # exit code 3
 * </pre>
 *
 * <p>The argument is a whole number when it reads as one ({@code 7}, {@code -2}), else text. Exit
 * codes: 0, answered; {@value #EXIT_TASK_THREW}, the task threw (its exception goes to stderr);
 * {@value #EXIT_USAGE}, bad arguments; the {@code halt} task ends the JVM with its argument.
 *
 * <p>Thread-safety: stateless.
 */
@ThreadSafe
public final class OneTask {

    /** Exit code when the task threw. */
    public static final int EXIT_TASK_THREW = 1;

    /** Exit code for bad command-line arguments (the course's usage status). */
    public static final int EXIT_USAGE = 2;

    private OneTask() {}

    /** Runs {@code args[0]} on {@code args[1]}, prints the result and exits with the status {@link #run} returns. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one task and prints its result on {@code out}.
     *
     * @return the exit code: 0, {@link #EXIT_TASK_THREW} or {@link #EXIT_USAGE}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: java -cp <class path> " + OneTask.class.getName() + " <task> <argument>; the tasks are "
                    + Tasks.names());
            return EXIT_USAGE;
        }
        Tasks.Task task;
        try {
            task = Tasks.lookup(args[0]);
        } catch (IllegalArgumentException unknown) {
            err.println(unknown.getMessage());
            return EXIT_USAGE;
        }
        Object argument = args[1].matches("-?\\d{1,18}") ? (Object) Long.parseLong(args[1]) : args[1];
        try {
            out.println(task.run(argument));
            return 0;
        } catch (Exception e) {
            err.println(args[0] + "(" + args[1] + ") threw " + e);
            return EXIT_TASK_THREW;
        }
    }
}
