package dev.threadlab.common.instructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The course as the instructor tools see it, read from the source tree (never by loading its
 * classes): the numbered modules listed in the root POM and, in each, the graded exercises found by
 * their {@code @GradedExercise} spec classes.
 *
 * @param root    the course's root folder (the one holding {@code mvnw} and the root POM)
 * @param modules the numbered modules, in the root POM's order
 */
public record Course(Path root, List<Module> modules) {

    /** A numbered module: its folder name (also its artifactId) and its graded exercises. */
    public record Module(String name, List<Exercise> exercises) {

        /** @return the module's number, e.g. "03" for 03-locks */
        public String number() {
            return name.replaceFirst("^(\\d+).*", "$1");
        }
    }

    /**
     * One graded exercise, as its spec declares it.
     *
     * @param module    the module folder, e.g. {@code 01-basic-threads}
     * @param title     the spec's title, e.g. "01 start, run and join threads"
     * @param taskId    the number the title starts with (else the module's number): exercism's task id
     * @param spec      the spec class's fully qualified name
     * @param specFile  the spec's source, relative to the course root
     * @param learner   the learner's class (fully qualified), the file a student edits
     * @param reference the reference solution's class (fully qualified), or empty
     * @param rules     the spec's method names in source order (its rules, and maybe helpers)
     */
    public record Exercise(
            String module,
            String title,
            int taskId,
            String spec,
            Path specFile,
            String learner,
            Optional<String> reference,
            List<String> rules) {

        /** @return the learner's source file, relative to the course root */
        public Path learnerFile() {
            return Path.of(module, "src", "main", "java").resolve(learner.replace('.', '/') + ".java");
        }

        /** @return the simple name of the learner's class */
        public String learnerSimpleName() {
            return learner.substring(learner.lastIndexOf('.') + 1);
        }

        /** @return the package of the learner's class */
        public String learnerPackage() {
            int dot = learner.lastIndexOf('.');
            return dot < 0 ? "" : learner.substring(0, dot);
        }

        /** @return the spec's simple class name */
        public String specSimpleName() {
            return spec.substring(spec.lastIndexOf('.') + 1);
        }
    }

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern ANNOTATION = Pattern.compile(
            "@GradedExercise\\s*\\((.*?)\\)\\s*(?=@|(?:public\\s+|final\\s+|abstract\\s+)*class\\s)", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("value\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METHOD = Pattern.compile("\\bvoid\\s+(\\w+)\\s*\\(");

    /**
     * Reads the course at {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is not the course's root folder
     */
    public static Course read(Path root) {
        Path pom = root.resolve("pom.xml");
        if (!Files.isRegularFile(pom) || !Files.isDirectory(root.resolve("common"))) {
            throw new IllegalArgumentException(
                    root + " is not the course's root folder (no pom.xml beside a common/ folder)");
        }
        List<Module> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(text(pom));
        while (m.find()) {
            String name = m.group(1);
            if (name.matches("\\d+-.*") && Files.isDirectory(root.resolve(name))) {
                modules.add(new Module(name, exercisesOf(root, name)));
            }
        }
        return new Course(root, List.copyOf(modules));
    }

    /** Finds the course root at or above {@code start}. */
    public static Optional<Path> findRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("common"))
                    && Files.isRegularFile(dir.resolve("mvnw"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** @return every exercise, in module order */
    public List<Exercise> exercises() {
        return modules.stream().flatMap(mod -> mod.exercises().stream()).toList();
    }

    /**
     * The modules chosen by a list such as {@code 03,04} (numbers or folder names); all of them for
     * an empty list.
     *
     * @throws IllegalArgumentException naming what matched no module, and the modules there are
     */
    public List<Module> select(List<String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return modules;
        }
        List<Module> chosen = new ArrayList<>();
        for (String w : wanted) {
            String want = w.strip();
            Module found = modules.stream()
                    .filter(mod -> mod.name().equals(want)
                            || mod.number().equals(want)
                            || (want.matches("\\d") && mod.number().equals("0" + want)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no module '" + want + "'; the course has "
                            + String.join(
                                    ", ", modules.stream().map(Module::name).toList())));
            if (!chosen.contains(found)) {
                chosen.add(found);
            }
        }
        chosen.sort(Comparator.comparingInt(modules::indexOf));
        return List.copyOf(chosen);
    }

    private static List<Exercise> exercisesOf(Path root, String module) {
        Path tests = root.resolve(module).resolve("src/test/java");
        if (!Files.isDirectory(tests)) {
            return List.of();
        }
        List<Exercise> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = text(file);
                if (text.contains("@GradedExercise")) {
                    parseSpec(root, module, file, text).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(found);
    }

    static Optional<Exercise> parseSpec(Path root, String module, Path file, String text) {
        Matcher annotation = ANNOTATION.matcher(text);
        if (!annotation.find()) {
            return Optional.empty();
        }
        String args = annotation.group(1);
        String pkg = group(PACKAGE, text).orElse("");
        String className = file.getFileName().toString().replaceFirst("\\.java$", "");
        String title = group(TITLE, args)
                .map(t -> t.replace("\\\"", "\"").replace("\\\\", "\\"))
                .orElse(className);
        String learner = classArgument(args, "learner")
                .map(n -> resolve(n, text, pkg))
                .orElseThrow(() -> new IllegalArgumentException(file + ": @GradedExercise names no learner class"));
        Optional<String> reference = classArgument(args, "reference").map(n -> resolve(n, text, pkg));
        List<String> rules = new ArrayList<>();
        Matcher method = METHOD.matcher(text);
        while (method.find()) {
            rules.add(method.group(1));
        }
        Matcher digits = Pattern.compile("^(\\d+)").matcher(title);
        int taskId = Integer.parseInt(digits.find() ? digits.group(1) : module.replaceFirst("^(\\d+).*", "$1"));
        return Optional.of(new Exercise(
                module,
                title,
                taskId,
                pkg.isEmpty() ? className : pkg + "." + className,
                root.relativize(file),
                learner,
                reference,
                List.copyOf(rules)));
    }

    private static Optional<String> classArgument(String args, String name) {
        return group(Pattern.compile("\\b" + name + "\\s*=\\s*([\\w.]+)\\.class"), args);
    }

    /** Resolves a class name as written in a source file: qualified, imported, or in the same package. */
    static String resolve(String name, String text, String pkg) {
        if (name.contains(".")) {
            return name;
        }
        return group(Pattern.compile("(?m)^\\s*import\\s+([\\w.]+\\." + Pattern.quote(name) + ")\\s*;"), text)
                .orElse(pkg.isEmpty() ? name : pkg + "." + name);
    }

    private static Optional<String> group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
