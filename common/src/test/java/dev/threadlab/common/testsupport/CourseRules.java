package dev.threadlab.common.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The course's architecture rules, checked by a test in every module
 * ({@link #assertModuleFollowsTheRules(String)}); each rule is a field named as the sentence it
 * enforces, and {@code CourseRulesTest} shows each one failing on a fixture. That a numbered
 * module uses no other numbered module is the Maven Enforcer's {@code bannedDependencies} rule:
 * a module's test run sees only its own classes and common's, so no ArchUnit rule here could
 * catch it.
 */
public final class CourseRules {

    /** Package of everything in the course. */
    public static final String COURSE_PACKAGE = "dev.threadlab";

    private static final String SLEEPER_PACKAGE = "dev.threadlab.common.time..";

    private CourseRules() {}

    /** A call, or a method reference, to {@code Thread.sleep} or {@code TimeUnit.sleep}. */
    static final DescribedPredicate<JavaAccess<?>> A_SLEEP = DescribedPredicate.describe(
            "Thread.sleep or TimeUnit.sleep",
            access -> access.getTarget().getName().equals("sleep")
                    && (access.getTargetOwner().isAssignableTo(Thread.class)
                            || access.getTargetOwner().isAssignableTo(TimeUnit.class)));

    /**
     * Main code reaches a reference solution only through the module's one choice point, a class
     * named {@code …Choice} (such as 05's {@code HandOffChoice}) that maps {@code --solution
     * reference|yours} to an implementation: every demo and benchmark can then run the learner's
     * code, and a student copy without solutions needs only that one class changed.
     */
    public static final ArchRule main_code_reaches_solutions_only_through_the_choice_point = noClasses()
            .that()
            .resideOutsideOfPackage("..solution..")
            .and()
            .haveSimpleNameNotEndingWith("Choice")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..solution..")
            .because("a demo that hard-codes the reference never runs the learner's code; choose through "
                    + "the module's …Choice class (--solution yours|reference)")
            .allowEmptyShould(true);

    /** Tests wait for other threads with latches, barriers, join or Awaitility, never a sleep. */
    public static final ArchRule tests_never_sleep = noClasses()
            .should()
            .accessTargetWhere(A_SLEEP)
            .because("a sleeping test is slow and still flaky: wait with a latch, a barrier, join, "
                    + "Awaitility, or an injected Sleeper / ManualClock")
            .allowEmptyShould(true);

    /** Demos and exercises pause through common's injectable Sleeper, so tests can replace it. */
    public static final ArchRule code_sleeps_only_through_the_injectable_sleeper = noClasses()
            .that()
            .resideOutsideOfPackage(SLEEPER_PACKAGE)
            .should()
            .accessTargetWhere(A_SLEEP)
            .because("a pause that goes through dev.threadlab.common.time.Sleeper can be made "
                    + "instant or scripted in a test")
            .allowEmptyShould(true);

    /**
     * The course rules that bind a solution: a graded class (with its nested and anonymous classes)
     * pauses only through a {@code Sleeper}. Checked by the grading itself, before each rule, so
     * that a learner's {@code Thread.sleep} shows in the grading report with its fix rather than as
     * an architecture test failing elsewhere.
     *
     * @return empty if {@code solution} follows the rules, else what it did and the fix
     */
    public static Optional<String> brokenBySolution(Class<?> solution) {
        List<String> sleeps = SleepCalls.in(solution);
        if (sleeps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("course rule: " + solution.getSimpleName()
                + " calls Thread.sleep or TimeUnit.sleep ("
                + String.join(", ", sleeps) + "). Wait for an event instead (join, a latch, a queue), or, where the "
                + "exercise gives you a Sleeper, pause through it, so the grading can make time instant");
    }

    /** True for the file a learner edits ({@code ….exercise.Your…}): graded by its spec, not here. */
    static boolean isLearnersFile(JavaClass c) {
        return c.getPackageName().endsWith(".exercise") && c.getSimpleName().startsWith("Your")
                || c.getName().matches(".*\\.exercise\\.Your[^.]*\\$.*");
    }

    /**
     * Checks every course rule on one module: its main classes and its test classes. The learner's
     * own files, and fixtures marked {@link BreaksACourseRuleOnPurpose}, are left to the grading
     * ({@link #brokenBySolution(Class)}), which reports a broken rule in the learner's terms.
     *
     * @param modulePackage the module's root package, e.g. {@code "dev.threadlab.basics"}
     * @throws AssertionError naming each class and line that breaks a rule
     */
    public static void assertModuleFollowsTheRules(String modulePackage) {
        JavaClasses all = new ClassFileImporter().importPackages(modulePackage); // one import, then split
        if (all.isEmpty()) {
            throw new AssertionError("no classes found in package " + modulePackage);
        }
        DescribedPredicate<JavaClass> inTestClasses = DescribedPredicate.describe(
                "test classes",
                c -> c.getSource()
                        .map(source -> source.getUri().toString().contains("/test-classes/"))
                        .orElse(false));
        DescribedPredicate<JavaClass> onPurpose = DescribedPredicate.describe(
                "fixtures that break a course rule on purpose",
                c -> c.isAnnotatedWith(BreaksACourseRuleOnPurpose.class)
                        || c.getEnclosingClass()
                                .map(e -> e.isAnnotatedWith(BreaksACourseRuleOnPurpose.class))
                                .orElse(false));
        JavaClasses tests = all.that(inTestClasses).that(DescribedPredicate.not(onPurpose));
        JavaClasses main = all.that(DescribedPredicate.not(inTestClasses))
                .that(DescribedPredicate.not(
                        DescribedPredicate.describe("the learner's files", CourseRules::isLearnersFile)));
        code_sleeps_only_through_the_injectable_sleeper.check(main);
        main_code_reaches_solutions_only_through_the_choice_point.check(main);
        tests_never_sleep.check(tests);
    }
}
