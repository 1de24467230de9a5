package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.threadlab.common.testsupport.archfixture.alpha.SleepsToWait;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each course rule catches a class that breaks it, and lets a class that keeps it pass. */
class CourseRulesTest {

    private static final String FIXTURES = "dev.threadlab.common.testsupport.archfixture";

    @Test
    void aTestThatSleepsBreaksTheTestRuleForBothSleepApis() {
        JavaClasses classes = new ClassFileImporter().importClasses(SleepsToWait.class);
        assertThatThrownBy(() -> CourseRules.tests_never_sleep.check(classes))
                .hasMessageContaining("Thread.sleep")
                .hasMessageContaining("TimeUnit.sleep");
    }

    @Test
    void codeThatSleepsOutsideTheSleeperBreaksTheSleeperRule() {
        JavaClasses classes = new ClassFileImporter().importClasses(SleepsToWait.class);
        assertThatThrownBy(() -> CourseRules.code_sleeps_only_through_the_injectable_sleeper.check(classes))
                .hasMessageContaining("SleepsToWait");
    }

    @Test
    void codeThatStartsJoinsAndInterruptsThreadsWithoutSleepingKeepsBothSleepRules() {
        JavaClasses classes = new ClassFileImporter()
                .importPackages("dev.threadlab.common.testsupport")
                .that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "not a rule-breaking fixture", c -> !c.getPackageName().contains("archfixture")));
        assertThatCode(() -> CourseRules.tests_never_sleep.check(classes)).doesNotThrowAnyException();
        assertThatCode(() -> CourseRules.code_sleeps_only_through_the_injectable_sleeper.check(classes))
                .doesNotThrowAnyException();
    }

    @Test
    void theInjectableSleeperItselfMaySleep() {
        JavaClasses classes = new ClassFileImporter().importPackages("dev.threadlab.common.time");
        assertThatCode(() -> CourseRules.code_sleeps_only_through_the_injectable_sleeper.check(classes))
                .doesNotThrowAnyException();
    }

    @Test
    void aGradedClassThatSleepsIsToldWhereAndWhatToDoInstead() {
        assertThat(CourseRules.brokenBySolution(SleepsToWait.class))
                .get()
                .asString()
                .contains("course rule: SleepsToWait calls Thread.sleep or TimeUnit.sleep")
                .contains("SleepsToWait.forbiddenPauses() at line")
                .contains("Wait for an event instead");
        assertThat(CourseRules.brokenBySolution(GradingMechanismTest.SolvedDoubler.class))
                .isEmpty();
    }

    /**
     * As in {@code ./threadlab check}: the learner's fresh class comes first on the class path, and
     * an older copy of the same class (the stub, as the last build compiled it) comes after it. The
     * rule judges the class the JVM loaded, not the last copy on the class path.
     */
    @Test
    void aGradedClassIsJudgedByTheCopyTheJvmLoadedNotAnOlderOneLaterOnTheClassPath(@TempDir Path dir) throws Exception {
        Path fresh = compile(dir.resolve("fresh"), "public void pause() throws Exception { Thread.sleep(5); }");
        Path stale = compile(dir.resolve("stale"), "public void pause() {}");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {fresh.toUri().toURL(), stale.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> learners = loader.loadClass("shadowed.YourPause");

            assertThat(CourseRules.brokenBySolution(learners))
                    .get()
                    .asString()
                    .contains("course rule: YourPause calls Thread.sleep or TimeUnit.sleep")
                    .contains("YourPause.pause() at line");
        }
    }

    /** A sleep hidden in an anonymous Thread subclass ({@code sleep(5)} names the subclass) or a lambda. */
    @Test
    void aSleepInANestedClassOrALambdaIsFoundToo(@TempDir Path dir) throws Exception {
        Path classes = compile(dir, """
                public void pause() throws Exception {
                        Thread t = new Thread() {
                            @Override public void run() {
                                try { sleep(5); } catch (InterruptedException e) { interrupt(); }
                            }
                        };
                        Runnable r = () -> {
                            try { java.util.concurrent.TimeUnit.SECONDS.sleep(1); } catch (InterruptedException e) { }
                        };
                    }""");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            assertThat(CourseRules.brokenBySolution(loader.loadClass("shadowed.YourPause")))
                    .get()
                    .asString()
                    .contains("shadowed.YourPause$1.run() at line 6")
                    .contains("shadowed.YourPause.lambda$pause$0() at line 10");
        }
    }

    private static Path compile(Path out, String body) throws Exception {
        Path source = out.resolve("src/shadowed/YourPause.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package shadowed;\npublic class YourPause {\n    " + body + "\n}\n");
        Path classes = out.resolve("classes");
        int status =
                ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(status).as("javac of " + source).isZero();
        return classes;
    }

    @Test
    void mainCodeThatHardCodesTheReferenceBreaksTheChoicePointRule() {
        JavaClasses demo = new ClassFileImporter().importPackages(FIXTURES + ".delta");
        assertThatThrownBy(() -> CourseRules.main_code_reaches_solutions_only_through_the_choice_point.check(demo))
                .hasMessageContaining("DemoHardCodesTheReference")
                .hasMessageNotContaining("GreeterChoice");
    }
}
