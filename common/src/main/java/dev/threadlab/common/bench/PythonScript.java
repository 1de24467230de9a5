package dev.threadlab.common.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a module's Python original (the lesson's code, shipped beside the Java) so that a benchmark
 * can put CPython's figures next to Java's, measured in the same run. The script prints its figures
 * as {@code key=value} lines; everything else it prints is ignored.
 *
 * <pre>{@code
 * Optional<Path> python = PythonScript.python3OnPath();
 * Map<String, String> figures = PythonScript.run(python.get(), script, Duration.ofMinutes(5), "--raw");
 * double seconds = PythonScript.number(figures, "sequential_s");
 * }</pre>
 *
 * <p>The child process never outlives {@link #run}: on success, failure, timeout or interrupt it
 * has exited (or been killed) before the method returns.
 */
public final class PythonScript {

    private PythonScript() {}

    /** @return the {@code python3} found first on the {@code PATH}, or empty if there is none */
    public static Optional<Path> python3OnPath() {
        return PythonOption.onPath("python3");
    }

    /**
     * Runs {@code python script args...} and returns the {@code key=value} lines it printed.
     *
     * @param timeout how long the script may take; it is killed after that
     * @return each {@code key=value} line of its output (stdout and stderr), in order
     * @throws IOException          if it cannot start, exits non-zero (the message has its output)
     *                              or runs longer than {@code timeout}
     * @throws InterruptedException if interrupted while waiting (the script is killed first)
     */
    public static Map<String, String> run(Path python, Path script, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(List.of(args));
        // Output goes to a file, not a pipe: a script that hangs cannot then block us in a read,
        // and waitFor(timeout) bounds the whole run.
        Path output = Files.createTempFile("threadlab-python", ".out");
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(
                        String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
            }
            return parse(text);
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly); // what the script started, too
                process.destroyForcibly();
                process.onExit().join(); // uninterruptible: the child is gone when we return
            }
            Files.deleteIfExists(output);
        }
    }

    /** @return every {@code key=value} line of {@code text}, in order (a later key replaces an earlier one) */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        text.lines()
                .map(String::strip)
                .filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_.]*=.*"))
                .forEach(line ->
                        values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return values;
    }

    /**
     * @return {@code key}'s value as a number
     * @throws IllegalStateException if the script printed no such key, or not a number
     */
    public static double number(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("the Python script printed no " + key + "=...; it printed " + values);
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the Python script printed " + key + "=" + value + ", not a number", e);
        }
    }
}
