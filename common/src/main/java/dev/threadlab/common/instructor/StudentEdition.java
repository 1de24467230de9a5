package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.Course.Exercise;
import dev.threadlab.common.instructor.Course.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the student edition of the course: the same tree, minus everything that gives a reference
 * solution away, still building green on the untouched stubs and grading with the same commands.
 *
 * <p>What it leaves out or changes, module by module:
 * <ul>
 *   <li>the {@code solution} package (main sources): left out;</li>
 *   <li>the tests: only the graded specs and the test classes they use (found by name, transitively)
 *       ship; the course's self-checks ({@code *GradingTest}), the wrong-solution fixtures (some extend
 *       the reference) and the demo tests (some run the reference) stay with the instructor;</li>
 *   <li>a source that names a reference class (a spec's {@code reference = ...}, a demo that runs the
 *       reference) names the learner's class instead, so the demos run the student's own code;</li>
 *   <li>Markdown: a paragraph that points at a solution, and a code block that quotes one, are left out;
 *       the root README says which edition this is, lists only the exported modules and drops its
 *       section for instructors; {@code CONTRIBUTING.md} and {@code .ci/} stay with the course;</li>
 *   <li>the root POM lists {@code common} and the exported modules.</li>
 * </ul>
 * Then {@link LeakCheck} scans the copy; the export fails, naming file and line, if any text of a
 * reference solution is left in it.
 */
public final class StudentEdition {

    /** Name of the marker file an export writes at the copy's root. */
    public static final String MARKER = ".threadlab-student-edition";

    /** Where the instructor tools' own tests live (they stay with the course). */
    static final String INSTRUCTOR_TESTS = "common/src/test/java/dev/threadlab/common/instructor/";

    private static final Set<String> LEFT_WITH_THE_COURSE = Set.of("CONTRIBUTING.md");
    private static final Pattern IMPORT =
            Pattern.compile("(?m)^[ \\t]*import[ \\t]+(static[ \\t]+)?([\\w.]+)[ \\t]*;[ \\t]*\\R?");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z]\\w*\\b");

    private final Course course;
    private final List<Module> modules;
    private final List<String> files;
    /** Solution classes by fully qualified name, with the exercise whose learner replaces them (null: none). */
    private final Map<String, Exercise> solutionClasses = new LinkedHashMap<>();

    private final Set<String> solutionPackages = new TreeSet<>();
    private final Set<String> solutionFiles = new TreeSet<>();

    /** What an export wrote. */
    public record Result(Path target, List<String> modules, int files, List<String> leftOut, List<String> changed) {}

    private StudentEdition(Course course, List<Module> modules) {
        this.course = course;
        this.modules = modules;
        this.files = SourceTree.files(course.root());
        Map<String, Exercise> byReference = new LinkedHashMap<>();
        course.exercises().forEach(e -> e.reference().ifPresent(r -> byReference.put(r, e)));
        for (String file : files) {
            Matcher m = Pattern.compile("^(\\d+-[^/]+)/src/main/java/(.+/solution)/([^/]+)\\.java$")
                    .matcher(file);
            if (m.matches()) {
                solutionFiles.add(file);
                String pkg = m.group(2).replace('/', '.');
                solutionPackages.add(pkg);
                if (!m.group(3).equals("package-info")) {
                    String fqn = pkg + "." + m.group(3);
                    solutionClasses.put(fqn, byReference.get(fqn));
                }
            }
        }
    }

    /**
     * Writes the student edition of {@code course} into {@code target} (which must not exist, be
     * empty, or hold an earlier export, which is replaced).
     *
     * @param moduleNumbers the modules to include (numbers or names), all for an empty list
     * @throws IllegalStateException if the copy would contain reference code (nothing is left behind then)
     */
    public static Result export(Course course, Path target, List<String> moduleNumbers) {
        List<Module> chosen = course.select(moduleNumbers);
        return new StudentEdition(course, chosen).writeTo(target);
    }

    private Result writeTo(Path target) {
        prepare(target);
        Set<String> moduleNames = modules.stream().map(Module::name).collect(Collectors.toSet());
        Set<String> allModules = course.modules().stream().map(Module::name).collect(Collectors.toSet());
        Set<String> keptTests = new HashSet<>();
        modules.forEach(m -> keptTests.addAll(keptTests(m.name())));

        List<String> leftOut = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String file : files) {
            String top = file.contains("/") ? file.substring(0, file.indexOf('/')) : "";
            boolean keep;
            if (top.isEmpty()) {
                keep = !LEFT_WITH_THE_COURSE.contains(file);
            } else if (top.equals(".ci")) {
                keep = false;
            } else if (file.startsWith(INSTRUCTOR_TESTS)) {
                keep = false;
            } else if (allModules.contains(top)) {
                keep = moduleNames.contains(top)
                        && !solutionFiles.contains(file)
                        && (!file.startsWith(top + "/src/test/java/") || keptTests.contains(file));
            } else {
                keep = true;
            }
            if (keep) {
                kept.add(file);
            } else if (allModules.contains(top) && !moduleNames.contains(top)) {
                // a module not exported: not worth listing file by file
            } else {
                leftOut.add(file);
            }
        }

        LeakCheck leaks = LeakCheck.of(
                course.root(),
                solutionFiles,
                kept.stream().filter(f -> f.endsWith(".java")).toList(),
                solutionClasses.keySet(),
                solutionPackages);
        try {
            for (String file : kept) {
                Path from = course.root().resolve(file);
                Path to = target.resolve(file);
                Files.createDirectories(to.getParent());
                String transformed = transform(file, from, leaks);
                String stub = isLearnersFile(file) ? committedVersion(course.root(), file) : null;
                if (stub != null) { // the stub as committed: an instructor's own solved copy never ships
                    Files.writeString(to, stub);
                } else if (transformed == null) {
                    Files.copy(from, to);
                } else {
                    Files.writeString(to, transformed);
                    changed.add(file);
                }
                if (Files.isExecutable(from)) {
                    makeExecutable(to);
                }
            }
            List<String> exported = modules.stream().map(Module::name).toList();
            Files.writeString(
                    target.resolve(MARKER),
                    "threadlab student edition: reference solutions withheld\nmodules: " + String.join(",", exported)
                            + "\n");
            List<String> found = leaks.scan(target);
            if (!found.isEmpty()) {
                throw new IllegalStateException(
                        "the student edition would give reference code away; nothing was exported:\n  "
                                + String.join("\n  ", found));
            }
            return new Result(target, exported, kept.size(), List.copyOf(leftOut), List.copyOf(changed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteTree(target);
            throw e;
        }
    }

    private static void prepare(Path target) {
        try {
            if (Files.exists(target)) {
                boolean empty;
                try (Stream<Path> entries = Files.list(target)) {
                    empty = entries.findAny().isEmpty();
                }
                if (!empty) {
                    if (!Files.exists(target.resolve(MARKER))) {
                        throw new IllegalArgumentException(
                                target + " exists and is not empty (nor an earlier student edition): "
                                        + "choose a new folder");
                    }
                    deleteTree(target);
                }
            }
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the new text of {@code file} in the copy, or null to copy it as it is */
    private String transform(String file, Path from, LeakCheck leaks) throws IOException {
        if (file.equals("pom.xml")) {
            return rootPom(Files.readString(from));
        }
        if (file.endsWith(".md")) {
            String text = Files.readString(from);
            String out = Markdown.studentEdition(
                    text,
                    file.equals("README.md"),
                    leaks,
                    solutionNames(),
                    modules.stream().map(Module::name).toList(),
                    course.modules().stream().map(Module::name).toList());
            return out.equals(text) ? null : out;
        }
        if (file.endsWith(".java")) {
            String text = Files.readString(from);
            String out = rewriteSolutionReferences(file, text);
            return out.equals(text) ? null : out;
        }
        return null;
    }

    private Set<String> solutionNames() {
        Set<String> names = new TreeSet<>(solutionPackages);
        solutionClasses.keySet().forEach(fqn -> names.add(fqn.substring(fqn.lastIndexOf('.') + 1)));
        return names;
    }

    /** The root POM with {@code <modules>} listing common and the exported modules. */
    String rootPom(String pom) {
        Matcher m =
                Pattern.compile("(?s)(<modules>)(.*?)(\\n?([ \\t]*)</modules>)").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("the root pom.xml has no <modules> section");
        }
        String indent = m.group(4) + "  ";
        StringBuilder list = new StringBuilder("\n" + indent + "<module>common</module>");
        modules.forEach(mod -> list.append("\n")
                .append(indent)
                .append("<module>")
                .append(mod.name())
                .append("</module>"));
        return pom.substring(0, m.start(2)) + list + pom.substring(m.start(3));
    }

    /**
     * The source with every reference class replaced by its exercise's learner class.
     *
     * @throws IllegalStateException if it uses a solution class no exercise names as its reference
     */
    String rewriteSolutionReferences(String file, String text) {
        String pkg = group(PACKAGE, text);
        StringBuilder out = new StringBuilder();
        Matcher imports = IMPORT.matcher(text);
        int last = 0;
        while (imports.find()) {
            String name = imports.group(2);
            String solutionClass = solutionClassOf(name);
            if (solutionClass == null) {
                continue;
            }
            Exercise exercise = solutionClasses.get(solutionClass);
            if (exercise == null || imports.group(1) != null || !name.equals(solutionClass)) {
                throw new IllegalStateException(file + " uses " + name + ", which has no learner's class to stand in "
                        + "for it in the student edition (only a spec's reference class can be replaced)");
            }
            out.append(text, last, imports.start());
            boolean needed = !exercise.learnerPackage().equals(pkg)
                    && !Pattern.compile("(?m)^\\s*import\\s+" + Pattern.quote(exercise.learner()) + "\\s*;")
                            .matcher(text)
                            .find();
            if (needed) {
                out.append("import ").append(exercise.learner()).append(";").append(lineEnd(imports.group()));
            }
            last = imports.end();
        }
        out.append(text.substring(last));
        String result = out.toString();
        for (Map.Entry<String, Exercise> e : solutionClasses.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            String fqn = e.getKey();
            String simple = fqn.substring(fqn.lastIndexOf('.') + 1);
            result = result.replace(fqn, e.getValue().learner());
            result = result.replaceAll(
                    "\\b" + Pattern.quote(simple) + "\\b", e.getValue().learnerSimpleName());
        }
        for (String solutionPackage : solutionPackages) {
            if (result.contains(solutionPackage + ".")) {
                throw new IllegalStateException(file + " still names the package " + solutionPackage
                        + " after its reference classes were replaced");
            }
        }
        return result;
    }

    private String solutionClassOf(String importedName) {
        for (String pkg : solutionPackages) {
            if (importedName.startsWith(pkg + ".")) {
                String rest = importedName.substring(pkg.length() + 1);
                int dot = rest.indexOf('.');
                return pkg + "." + (dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return null;
    }

    /**
     * The module's test sources that ship: the graded specs and, transitively, the test classes they
     * name; never a fixture or a {@code *GradingTest}.
     */
    Set<String> keptTests(String module) {
        String prefix = module + "/src/test/java/";
        Map<String, List<String>> bySimpleName = new LinkedHashMap<>();
        Deque<String> work = new ArrayDeque<>();
        Set<String> kept = new LinkedHashSet<>();
        for (String file : files) {
            if (!file.startsWith(prefix)) {
                continue;
            }
            if (!file.endsWith(".java")) {
                kept.add(file); // test resources
                continue;
            }
            String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".java".length());
            if (file.contains("/fixtures/") || name.endsWith("GradingTest") || name.equals("package-info")) {
                continue;
            }
            bySimpleName.computeIfAbsent(name, k -> new ArrayList<>()).add(file);
            if (Course.text(course.root().resolve(file)).contains("@GradedExercise")) {
                work.add(file);
            }
        }
        while (!work.isEmpty()) {
            String file = work.removeFirst();
            if (!kept.add(file)) {
                continue;
            }
            Matcher names = TYPE_NAME.matcher(Course.text(course.root().resolve(file)));
            while (names.find()) {
                for (String other : bySimpleName.getOrDefault(names.group(), List.of())) {
                    if (!kept.contains(other)) {
                        work.add(other);
                    }
                }
            }
        }
        Set<String> packages = kept.stream()
                .filter(f -> f.endsWith(".java"))
                .map(f -> f.substring(0, f.lastIndexOf('/')))
                .collect(Collectors.toSet());
        files.stream()
                .filter(f -> f.startsWith(prefix) && f.endsWith("/package-info.java"))
                .filter(f -> packages.contains(f.substring(0, f.lastIndexOf('/'))))
                .forEach(kept::add);
        return kept;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private static String lineEnd(String matched) {
        return matched.endsWith("\r\n") ? "\r\n" : matched.endsWith("\n") ? "\n" : "";
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            permissions.addAll(EnumSet.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(true, false);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /** The file a learner edits: {@code …/exercise/Your….java}. */
    static boolean isLearnersFile(String file) {
        return file.replace('\\', '/').matches(".*/exercise/Your[^/]*\\.java");
    }

    /** @return the file as committed at git's HEAD, or null when the course is not a git checkout */
    static String committedVersion(Path root, String file) {
        try {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "show", "HEAD:" + file.replace('\\', '/'))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String text = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!git.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return null;
            }
            return git.exitValue() == 0 ? text : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
