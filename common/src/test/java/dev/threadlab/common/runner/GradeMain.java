package dev.threadlab.common.runner;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.threadlab.common.testsupport.Grading;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The grading JVM's main: runs one exercise's spec on the learner's class through the JUnit
 * Platform Launcher, with {@value Grading#GRADE_PROPERTY}{@code =learner}, and writes each rule's
 * outcome to a results file, one line a rule, as it ends. The runner starts it on the module's
 * test class path (the learner's freshly compiled classes first) with the module's test JVM
 * options, as surefire runs the module's tests: the same specs, extensions and test defaults as
 * {@code ./mvnw verify -Plearn}, and nothing of an earlier grading left in it.
 *
 * <p>With {@code --standby} it first loads JUnit and waits for a line on standard input (the
 * runner's watch mode keeps one ready while the learner edits, so a save pays no JVM start-up);
 * it loads none of the module's classes before that line.
 *
 * <pre>{@code
 * java -cp <scratch>:<module test class path> GradeMain [--standby] (<results file> <spec class>[@<what>])...
 * }</pre>
 *
 * <p>Each pair is graded in turn in this one JVM; {@code what} is a {@value Grading#GRADE_PROPERTY}
 * value (default {@code learner}; the runner's own tests grade several fixtures by class name in
 * one JVM).
 */
public final class GradeMain {

    private GradeMain() {}

    public static void main(String[] args) throws IOException {
        boolean standby = args.length > 0 && args[0].equals("--standby");
        int first = standby ? 1 : 0;
        if (args.length - first < 2 || (args.length - first) % 2 != 0) {
            System.err.println("usage: GradeMain [--standby] (<results file> <spec class>[@<what to grade>])...");
            System.exit(2);
        }
        ClassLoader loader = GradeMain.class.getClassLoader();
        if (standby) {
            // Run JUnit once on a test of its own, so that the engine, the extensions and the
            // listener are loaded (and a little compiled) before the learner's save arrives.
            Grading.execute(
                    selectClass(WarmUp.class),
                    Grading.LEARNER,
                    new Writer(new PrintWriter(java.io.OutputStream.nullOutputStream())),
                    loader);
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (go == null || !go.equals("go")) {
                System.exit(0); // not needed after all
            }
        }
        for (int i = first; i < args.length; i += 2) {
            String[] job = args[i + 1].split("@", 2);
            gradeHere(Path.of(args[i]), job[0], job.length > 1 ? job[1] : Grading.LEARNER, loader);
        }
        System.out.flush();
        System.err.flush();
        // Whatever the learner's code left running (a stuck thread the leak check could not stop)
        // must not keep this JVM alive: the verdict is written.
        Runtime.getRuntime().halt(0);
    }

    /**
     * Grades {@code what} ({@value Grading#GRADE_PROPERTY}: learner, or a class name) with the spec,
     * the module's classes loaded by {@code loader}; writes its results. The runner's own tests call
     * it in their JVM, to grade without paying a JVM start for each verdict.
     */
    static void gradeHere(Path results, String specName, String what, ClassLoader loader) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results, StandardCharsets.UTF_8), true)) {
            Class<?> spec;
            try {
                spec = Class.forName(specName, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                out.println("ERROR " + encode("cannot load the spec " + specName + ": " + e));
                return;
            }
            Grading.execute(selectClass(spec), what, new Writer(out), loader);
            out.println("END");
        }
    }

    /** What a standby grading JVM runs while it waits: nothing of the module's, nothing that lasts. */
    static final class WarmUp {
        @org.junit.jupiter.api.Test
        void warmsUp() {
            Grading.firstLine("warm");
        }
    }

    /** {@code RULE <status> <name> <message> <rule in words> <order>}, the free texts in Base64. */
    static String line(Grading.Outcome outcome) {
        return "RULE " + outcome.status() + " " + encode(outcome.test()) + " " + encode(outcome.message()) + " "
                + encode(outcome.rule()) + " " + outcome.order();
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    /** The course's own classification of each rule ({@link Grading.Recorder}, as for ./mvnw verify), one line each. */
    private static final class Writer extends Grading.Recorder {
        private final PrintWriter out;

        Writer(PrintWriter out) {
            super((id, outcome) -> out.println(line(outcome)));
            this.out = out;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan plan) {
            super.testPlanExecutionStarted(plan);
            out.println("PLANNED " + plan.countTestIdentifiers(TestIdentifier::isTest));
        }
    }
}
