package dev.threadlab.common.runner;

import dev.threadlab.common.cli.Cli;
import dev.threadlab.common.testsupport.GradedExercise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The course as the runner sees it: the numbered modules under the root, each built once by
 * Maven ({@code target/classes}, {@code target/test-classes}, and the class path the build
 * recorded in {@code target/threadlab-runner/}), and their exercises, found from the
 * {@link GradedExercise @GradedExercise} spec classes in the modules' test classes.
 *
 * <p>The runner's own files live under the root's {@code target/threadlab-runner/} (git-ignored):
 * the scratch folders it compiles the learner's classes into, one per exercise, placed first on
 * the class paths the runner grades and runs demos with. The learner's progress is the root's
 * {@code .threadlab-progress}.
 */
public final class Course {

    private static final byte[] GRADED =
            "Ldev/threadlab/common/testsupport/GradedExercise;".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final List<Module> modules;
    private final Map<Module, List<Exercise>> exercisesByModule = new HashMap<>();

    /**
     * A module's classes could not be read as built: Maven is rebuilding it (a {@code ./mvnw verify}
     * in another terminal deletes and rewrites its {@code target/}), or it was left half built. The
     * runner says so in one line ({@link Cli.Failure}: no stack trace) and exits 1.
     */
    public static final class ModuleBeingBuilt extends Cli.Failure {
        private static final long serialVersionUID = 1L;

        ModuleBeingBuilt(Module module, Throwable cause) {
            super(
                    "threadlab: the build is changing " + module.name() + "'s classes: run again when it has finished",
                    cause);
        }
    }

    /** A numbered module, e.g. {@code 01-basic-threads}. */
    public record Module(Path dir, Path scratch) {

        public String name() {
            return dir.getFileName().toString();
        }

        /** @return "01" for 01-basic-threads */
        public String number() {
            return name().substring(0, 2);
        }

        /** @return "basic-threads" for 01-basic-threads */
        public String shortName() {
            return name().substring(3);
        }

        /** @return its README's title without the number: "Basic threads: start two, join two" */
        public String title() {
            try (Stream<String> lines = Files.lines(dir.resolve("README.md"))) {
                return lines.filter(l -> l.startsWith("# "))
                        .findFirst()
                        .map(l -> l.substring(2)
                                .replaceFirst("^\\d+\\s*[—–-]\\s*", "")
                                .strip())
                        .orElse("");
            } catch (IOException | UncheckedIOException e) {
                return "";
            }
        }

        public Path classes() {
            return dir.resolve("target/classes");
        }

        public Path testClasses() {
            return dir.resolve("target/test-classes");
        }

        public Path sources() {
            return dir.resolve("src/main/java");
        }

        /** @return the module's test class path as the build recorded it (its own folders first) */
        public List<Path> classPath() {
            Path recorded = dir.resolve("target/threadlab-runner/class-path");
            try {
                return Files.readAllLines(recorded).stream()
                        .filter(l -> !l.isBlank())
                        .map(Path::of)
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + recorded + " (run ./threadlab, which builds it)", e);
            }
        }

        /** @return the Java release the course compiles for, as the build recorded it */
        public String release() {
            try {
                return Files.readString(dir.resolve("target/threadlab-runner/release"))
                        .strip();
            } catch (IOException e) {
                return "21";
            }
        }

        /**
         * A class loader over this module's class path as built; the runner reads annotations
         * with it (which classes are specs, which are demos), it never runs them.
         */
        public ModuleLoader newLoader() {
            return new ModuleLoader(name(), classPath(), Course.class.getClassLoader());
        }
    }

    /**
     * One exercise: the spec that grades it, the learner's class and the reference.
     *
     * @param title the spec's {@link GradedExercise#value()}, e.g. "01.2 fetch every URL at the same time";
     *              its first token is the exercise's id
     */
    public record Exercise(Module module, String spec, String title, String learner, String reference) {

        /** @return the exercise's id, the first token of its title: "01.2" (a module of one exercise may say "02") */
        public String id() {
            int space = title.indexOf(' ');
            return space < 0 ? title : title.substring(0, space);
        }

        /** @return "fetch-all" for YourFetchAll */
        public String slug() {
            return Names.kebab(learnerSimpleName().replaceFirst("^Your", ""));
        }

        public String learnerSimpleName() {
            return learner.substring(learner.lastIndexOf('.') + 1);
        }

        public Path learnerSource() {
            return module.sources().resolve(learner.replace('.', '/') + ".java");
        }

        public Path referenceSource() {
            return module.sources().resolve(reference.replace('.', '/') + ".java");
        }

        /** @return the folder the runner compiles this exercise's learner class into (first on its class paths) */
        public Path scratch() {
            return module.scratch().resolve(id());
        }

        /**
         * The exercise's hints file, the one place its hints live: {@code <module>/hints/<id>.md}.
         * Failing that, the file of that folder whose first heading names this exercise's topic
         * ("# Hints: 02.3 supervise workers …" for a spec still titled "02 supervise workers …"),
         * so that renumbering an exercise does not lose its hints.
         */
        public Path hints() {
            Path folder = module.dir().resolve("hints");
            Path byId = folder.resolve(id() + ".md");
            if (Files.isRegularFile(byId) || !Files.isDirectory(folder)) {
                return byId;
            }
            try (Stream<Path> files = Files.list(folder)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".md"))
                        .sorted()
                        .filter(f -> topicOf(f).equals(topic()))
                        .findFirst()
                        .orElse(byId);
            } catch (IOException e) {
                return byId;
            }
        }

        private static String topicOf(Path hintsFile) {
            try (Stream<String> lines = Files.lines(hintsFile)) {
                return lines.filter(l -> l.startsWith("# "))
                        .findFirst()
                        .map(l -> l.substring(2)
                                .replaceFirst("^Hints:\\s*", "")
                                .replaceFirst("^\\S+\\s+", "")
                                .strip())
                        .orElse("");
            } catch (IOException | UncheckedIOException e) {
                return "";
            }
        }

        /** @return the title without its id */
        public String topic() {
            return title.replaceFirst("^\\S+\\s+", "");
        }
    }

    /** Orders exercise ids as numbers, part by part: 01.2 before 01.10, 01.10 before 02. */
    static final Comparator<String> ID_ORDER = (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
                    : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    public Course(Path root) {
        this.root = root.toAbsolutePath().normalize();
        Path scratch = cache().resolve("classes");
        try (Stream<Path> dirs = Files.list(this.root)) {
            this.modules = dirs.filter(d -> d.getFileName().toString().matches("\\d\\d-.+"))
                    .filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .sorted()
                    .map(d -> new Module(d, scratch.resolve(d.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The course the runner was started in: {@code -Dthreadlab.root}, else the working directory. */
    public static Course here() {
        return new Course(Path.of(System.getProperty("threadlab.root", ".")));
    }

    public Path root() {
        return root;
    }

    /** @return the runner's git-ignored working folder */
    public Path cache() {
        return root.resolve("target/threadlab-runner");
    }

    public List<Module> modules() {
        return modules;
    }

    public Optional<Module> module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * @return the module's exercises, in id order, read from that module's classes only (another
     *         module's build in progress does not concern them)
     * @throws ModuleBeingBuilt if its classes cannot be read as built
     */
    public synchronized List<Exercise> exercises(Module module) {
        List<Exercise> known = exercisesByModule.get(module);
        if (known == null) {
            known = List.copyOf(exercisesOf(module));
            exercisesByModule.put(module, known);
        }
        return known;
    }

    /**
     * @return every exercise, in module order, then in id order
     * @throws ModuleBeingBuilt if a module's classes cannot be read as built
     */
    public synchronized List<Exercise> exercises() {
        List<Exercise> all = new ArrayList<>();
        for (Module module : modules) {
            all.addAll(exercises(module));
        }
        return List.copyOf(all);
    }

    /**
     * @return the exercises of {@code module} alone, in id order, read from its own build only (the
     *         other modules may be unbuilt: the agreement proof runs in each module's build)
     * @throws ModuleBeingBuilt if its classes cannot be read as built
     */
    static List<Exercise> exercisesOf(Module module) {
        List<Exercise> ofModule = new ArrayList<>(discover(module));
        ofModule.sort(Comparator.comparing(Exercise::id, ID_ORDER).thenComparing(Exercise::title));
        return ofModule;
    }

    private static List<Exercise> discover(Module module) {
        if (!Files.isDirectory(module.testClasses())) {
            return List.of();
        }
        List<Exercise> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(module.testClasses());
                ModuleLoader loader = module.newLoader()) {
            List<Path> specs = files.filter(f -> f.toString().endsWith(".class")
                            && !f.getFileName().toString().contains("$"))
                    .filter(Course::mentionsGradedExercise)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            for (Path file : specs) {
                String name = module.testClasses()
                        .relativize(file)
                        .toString()
                        .replace('/', '.')
                        .replaceAll("\\.class$", "");
                Class<?> spec = Class.forName(name, false, loader);
                GradedExercise graded = spec.getAnnotation(GradedExercise.class);
                if (graded != null) {
                    found.add(new Exercise(
                            module,
                            name,
                            graded.value(),
                            graded.learner().getName(),
                            graded.reference().getName()));
                }
            }
        } catch (IOException
                | UncheckedIOException
                | ClassNotFoundException
                | LinkageError
                | TypeNotPresentException
                | java.lang.annotation.AnnotationFormatError e) {
            // A class file gone, or half written, while this reads them (a spec whose
            // learner = YourFetchAll.class is there, YourFetchAll.class not yet: TypeNotPresentException).
            throw new ModuleBeingBuilt(module, e);
        }
        return found;
    }

    private static boolean mentionsGradedExercise(Path classFile) {
        try {
            byte[] bytes = Files.readAllBytes(classFile);
            outer:
            for (int i = 0; i + GRADED.length <= bytes.length; i++) {
                for (int j = 0; j < GRADED.length; j++) {
                    if (bytes[i + j] != GRADED[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
