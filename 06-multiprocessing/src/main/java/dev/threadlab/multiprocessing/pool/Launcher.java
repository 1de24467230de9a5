package dev.threadlab.multiprocessing.pool;

import dev.threadlab.common.process.JavaProcess;
import java.io.IOException;

/**
 * Starts one child process and hands it over: the primitive exercise 06.1 is built on. Whoever
 * calls {@link #start()} owns the process it returns, and must see it end: wait for it, or
 * destroy it and then wait for it.
 *
 * <pre>{@code
 * Process child = Launcher.oneTask("square", 7).start();   // java … OneTask square 7
 * child.waitFor(10, TimeUnit.SECONDS);                      // true: it printed 49 and exited with 0
 * }</pre>
 *
 * <p>{@link #oneTask} starts a real worker JVM ({@link OneTask}); the tests' launchers hand out
 * scripted children, {@code Process}es whose end the test decides.
 */
@FunctionalInterface
public interface Launcher {

    /**
     * Starts the child and returns at once, without waiting for it.
     *
     * @return the running child; the caller owns it
     * @throws IOException if it cannot be started
     */
    Process start() throws IOException;

    /**
     * A worker JVM that runs one task of {@link Tasks} on one argument, prints the result on its
     * stdout and exits ({@link OneTask}); its stderr is this JVM's.
     *
     * @param task     the name of a task in {@link Tasks}
     * @param argument a whole number or a text, as {@link OneTask} reads it
     * @throws IllegalArgumentException if the task is unknown
     */
    static Launcher oneTask(String task, Object argument) {
        return oneTask(task, argument, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Like {@link #oneTask(String, Object)}, with the child's stderr sent to {@code stderr}, e.g.
     * {@code Redirect.DISCARD} in a test.
     *
     * @throws IllegalArgumentException if the task is unknown
     */
    static Launcher oneTask(String task, Object argument, ProcessBuilder.Redirect stderr) {
        Tasks.lookup(task);
        ProcessBuilder builder = JavaProcess.builder(
                        OneTask.class, ProcessPool.DEFAULT_JVM_OPTIONS, task, String.valueOf(argument))
                .redirectError(stderr);
        return builder::start;
    }
}
