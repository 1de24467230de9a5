package dev.threadlab.common.runner.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Run by the build for {@code ./threadlab} (the root POM's {@code exec:exec@threadlab-runner}), in
 * each module, on the JDK that runs the build (21+) and with the module's test class path: writes into
 * {@code <module>/target/threadlab-runner/} what the runner needs to start without Maven.
 *
 * <ul>
 *   <li>{@code java-home}: the JDK 21+ the build found (one line);</li>
 *   <li>{@code class-path}: the module's test class path, one entry a line;</li>
 *   <li>{@code release}: the Java language level the course compiles for ({@code --release});</li>
 *   <li>{@code jvm-args}: the module's extra test JVM options ({@code module.argLine}), one line.</li>
 * </ul>
 *
 * <p>Each file is written to a temporary name and moved into place, so a reader never sees half.
 */
public final class RecordClasspath {

    private RecordClasspath() {}

    /** @param args the output directory, the release, then the module's extra JVM options (may be empty) */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RecordClasspath <output directory> <release> [jvm options]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        List<String> classPath = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .toList();
        String jvmArgs =
                String.join(" ", Arrays.asList(args).subList(2, args.length)).strip();
        write(out.resolve("java-home"), System.getProperty("java.home") + "\n");
        write(out.resolve("class-path"), String.join("\n", classPath) + "\n");
        write(out.resolve("release"), args[1] + "\n");
        write(out.resolve("jvm-args"), jvmArgs + "\n");
    }

    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
