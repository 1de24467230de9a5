package dev.threadlab.daemon.harness;

import dev.threadlab.common.cli.Cli;

/**
 * How every program of this module ends: by returning from {@code main}. The course's usual
 * {@link Cli#exit} calls {@link System#exit} after the command, which ends the JVM whatever
 * threads are still running, daemon or not, and so would hide the very thing this module is
 * about. Here {@code main} exits explicitly only on failure (bad input: {@value Cli#USAGE}; the
 * command threw: 1); on success it returns, and the JVM ends when its last non-daemon thread
 * does (JLS §12.8, "Program Exit").
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     ReturnFromMain.run(new Daemon_01_DiesWithMain(), args);
 * }
 * }</pre>
 */
public final class ReturnFromMain {

    private ReturnFromMain() {}

    /**
     * Parses {@code args} into {@code command} and runs it through common's {@link Cli}; exits the
     * JVM with the exit code only when it is not 0, otherwise returns to the caller ({@code main}).
     *
     * @param command a picocli {@code @Command} object
     * @param args    the program's arguments
     */
    public static void run(Object command, String... args) {
        int code = Cli.execute(command, args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
