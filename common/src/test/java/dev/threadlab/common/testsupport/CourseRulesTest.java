package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.threadlab.common.testsupport.archfixture.alpha.SleepsToWait;
import org.junit.jupiter.api.Test;

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

    @Test
    void mainCodeThatHardCodesTheReferenceBreaksTheChoicePointRule() {
        JavaClasses demo = new ClassFileImporter().importPackages(FIXTURES + ".delta");
        assertThatThrownBy(() -> CourseRules.main_code_reaches_solutions_only_through_the_choice_point.check(demo))
                .hasMessageContaining("DemoHardCodesTheReference")
                .hasMessageNotContaining("GreeterChoice");
    }
}
