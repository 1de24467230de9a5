package dev.threadlab.common.runner;

import dev.threadlab.common.testsupport.GradedExercise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The course as the runner sees it: the numbered modules under the root, each built once by
 * Maven ({@code target/classes}, {@code target/test-classes}, and the class path the build
 * recorded in {@code target/threadlab-runner/}), and their exercises, found from the
 * {@link GradedExercise @GradedExercise} spec classes in the modules' test classes.
 *
 * <p>The runner's own files live under the root's {@code target/threadlab-runner/} (git-ignored):
 * the scratch folders it compiles the learner's classes into, one per module, placed first on
 * the runner's class path by {@code ./threadlab}. The learner's progress is the root's
 * {@code .threadlab-progress}.
 */
public final class Course {

    private static final byte[] GRADED = "Ldev/threadlab/common/testsupport/GradedExercise;".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final List<Module> modules;
    private List<Exercise> exercises;

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
                return Files.readAllLines(recorded).stream().filter(l -> !l.isBlank()).map(Path::of).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + recorded + " (run ./threadlab, which builds it)", e);
            }
        }

        /** @return the Java release the course compiles for, as the build recorded it */
        public String release() {
            try {
                return Files.readString(dir.resolve("target/threadlab-runner/release")).strip();
            } catch (IOException e) {
                return "21";
            }
        }

        /**
         * A class loader over this module's class path, the learner's freshly compiled classes
         * first; the runner reads annotations with it (which classes are specs, which are demos),
         * it never runs them.
         */
        public ModuleLoader newLoader() {
            List<Path> path = new ArrayList<>();
            path.add(scratch);
            path.addAll(classPath());
            return new ModuleLoader(name(), path, Course.class.getClassLoader());
        }
    }

    /**
     * One exercise: the spec that grades it, the learner's class and the reference.
     *
     * @param title the spec's {@link GradedExercise#value()}, e.g. "01 start, run and join threads"
     */
    public record Exercise(Module module, String spec, String title, String learner, String reference) {

        /** @return "01" */
        public String number() {
            return module.number();
        }

        /** @return "start-and-join" for YourStartAndJoin */
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

        /** @return the module's hints file, the one place its hints live */
        public Path hints() {
            return module.dir().resolve("HINTS.md");
        }

        /** @return the title without its leading number */
        public String topic() {
            return title.replaceFirst("^\\d+\\s+", "");
        }
    }

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

    /** @return every exercise, in module order */
    public synchronized List<Exercise> exercises() {
        if (exercises == null) {
            List<Exercise> found = new ArrayList<>();
            for (Module module : modules) {
                found.addAll(discover(module));
            }
            exercises = List.copyOf(found);
        }
        return exercises;
    }

    private static List<Exercise> discover(Module module) {
        if (!Files.isDirectory(module.testClasses())) {
            return List.of();
        }
        List<Exercise> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(module.testClasses());
                ModuleLoader loader = module.newLoader()) {
            List<Path> specs = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .filter(Course::mentionsGradedExercise)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            for (Path file : specs) {
                String name = module.testClasses().relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> spec = Class.forName(name, false, loader);
                GradedExercise graded = spec.getAnnotation(GradedExercise.class);
                if (graded != null) {
                    found.add(new Exercise(module, name, graded.value(), graded.learner().getName(),
                            graded.reference().getName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot read the exercises of " + module.name()
                    + " (rebuild: delete target/threadlab-runner/stamp and run ./threadlab): " + e, e);
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
