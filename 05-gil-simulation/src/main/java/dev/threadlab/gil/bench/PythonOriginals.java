package dev.threadlab.gil.bench;

import dev.threadlab.common.bench.PythonOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python originals shipped in this module ({@code src/main/python/}, on the class path
 * under {@code python/}) with the {@code python3} found on the {@code PATH}, and reads the
 * {@code key=value} lines they print.
 *
 * <p>Thread-safety: not thread-safe; one benchmark thread uses it.
 */
public final class PythonOriginals implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 300;

    private final Path python;
    private final Path scripts;

    private PythonOriginals(Path python, Path scripts) {
        this.python = python;
        this.scripts = scripts;
    }

    /**
     * @return the originals, ready to run, or empty when no {@code python3} is on the {@code PATH}
     * @throws IOException if the scripts cannot be copied out of the class path
     */
    public static Optional<PythonOriginals> find() throws IOException {
        return find(PythonOption.onPath("python3"));
    }

    /**
     * @param python the Python to run them with (common's {@code --python} option); empty: none
     * @return the originals, ready to run with it, or empty without one
     * @throws IOException if the scripts cannot be copied out of the class path
     */
    public static Optional<PythonOriginals> find(Optional<Path> python) throws IOException {
        if (python.isEmpty()) {
            return Optional.empty();
        }
        Path scripts = Files.createTempDirectory("threadlab-gil-python");
        for (String script : List.of("cpu_bound.py", "convoy.py")) {
            try (InputStream in = PythonOriginals.class.getResourceAsStream("/python/" + script)) {
                if (in == null) {
                    throw new IOException("python/" + script + " is not on the class path (build with ./mvnw)");
                }
                Files.copy(in, scripts.resolve(script));
            }
        }
        return Optional.of(new PythonOriginals(python.get(), scripts));
    }

    /** @return the interpreter's path, e.g. {@code /usr/bin/python3} */
    public Path python() {
        return python;
    }

    /**
     * Runs {@code script} with {@code args} and parses its output.
     *
     * @return every {@code key=value} line, in order
     * @throws IOException if it cannot start, times out, or exits non-zero (with its output)
     */
    public Map<String, String> run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(python.toString(), scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
            }
            Map<String, String> values = new LinkedHashMap<>();
            text.lines()
                    .filter(l -> l.contains("="))
                    .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
            return values;
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** @return {@code key}'s value as a number */
    public static double number(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("the Python original printed no " + key + "=...: " + values);
        }
        return Double.parseDouble(value);
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.list(scripts)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(scripts);
    }
}
