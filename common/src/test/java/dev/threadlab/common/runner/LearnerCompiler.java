package dev.threadlab.common.runner;

import dev.threadlab.common.runner.Course.Exercise;
import dev.threadlab.common.runner.Course.Module;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the learner's class with the JDK's compiler API, in this JVM, into the exercise's
 * scratch folder (which comes before {@code target/classes} on the class path the runner grades
 * it with). The module's sources are the source path, so a helper class the learner adds beside
 * their class, or any source newer than its compiled class, is compiled too.
 *
 * <p>A compilation is skipped when the sources are exactly those compiled last time (a digest of
 * the module's main sources is kept in the scratch folder).
 *
 * <p>Each exercise has a folder of its own: a learner at work on 01.2 with a file that does not
 * compile can still check 01.1.
 */
final class LearnerCompiler {

    /** The outcome: ok, or the compiler's errors, as the learner should read them. */
    record Result(boolean ok, String errors) {}

    private static final String DIGEST = ".sources-digest";

    private final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();

    /** Compiles the exercise's learner class into {@link Exercise#scratch()}. */
    Result compile(Exercise exercise) {
        return compile(exercise.module(), exercise.scratch(), List.of(exercise.learnerSource()));
    }

    /** Compiles {@code sources} of {@code module} (and what they need that changed) into {@code scratch}. */
    Result compile(Module module, Path scratch, List<Path> sources) {
        String digest = digest(module, sources);
        Path digestFile = scratch.resolve(DIGEST);
        try {
            if (Files.isRegularFile(digestFile) && Files.readString(digestFile).equals(digest)) {
                return new Result(true, "");
            }
            clean(scratch);
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (compiler == null) {
            throw new IllegalStateException("this Java has no compiler (a JRE?): " + System.getProperty("java.home"));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "-d",
                scratch.toString(),
                "-classpath",
                module.classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "-sourcepath",
                module.sources().toString(),
                "-implicit:class",
                "-proc:none",
                "-encoding",
                "UTF-8",
                "-nowarn",
                "--release",
                module.release());
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            StringWriter out = new StringWriter();
            boolean ok = compiler.getTask(
                            out, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            if (ok) {
                Files.writeString(digestFile, digest);
                return new Result(true, "");
            }
            clean(scratch); // nothing half-compiled shadows the last build
            return new Result(
                    false, describe(diagnostics.getDiagnostics(), module.dir().getParent()) + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path root) {
        List<String> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = d.getSource() == null
                    ? ""
                    : root.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": ";
            lines.add(where + d.getMessage(Locale.ROOT));
            if (d.getSource() != null && d.getLineNumber() > 0) {
                try {
                    String line = d.getSource()
                            .getCharContent(true)
                            .toString()
                            .lines()
                            .skip(d.getLineNumber() - 1)
                            .findFirst()
                            .orElse("");
                    lines.add("    " + line.stripTrailing());
                    if (d.getColumnNumber() > 0) {
                        lines.add("    " + " ".repeat((int) d.getColumnNumber() - 1) + "^");
                    }
                } catch (IOException e) {
                    // the line is a courtesy; the message says it all
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** A digest of what is compiled and of every main source of the module: names and contents. */
    private static String digest(Module module, List<Path> compiled) {
        try (Stream<Path> sources = Files.walk(module.sources())) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            compiled.forEach(c -> sha.update((c + "\n").getBytes(StandardCharsets.UTF_8)));
            for (Path source : sources.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(source.toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(source));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void clean(Path scratch) throws IOException {
        if (!Files.exists(scratch)) {
            return;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(scratch)) {
                    Files.delete(file);
                }
            }
        }
    }
}
