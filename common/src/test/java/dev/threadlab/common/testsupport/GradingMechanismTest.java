package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The grading mechanism's promises, shown on a tiny exercise (the nested {@code Doubler} and its
 * spec below, run in-process): an untouched exercise is "not started" and leaves the build green,
 * the self-check's stub is made from the interface whatever the learner's file holds, one hang
 * costs one timeout, and the report names the most telling rule.
 */
public class GradingMechanismTest {

    /** A one-method exercise. */
    public interface Doubler {
        int twice(int x);
    }

    /** The learner's file, already solved: the self-check must not grade it. */
    public static final class SolvedDoubler implements Doubler {
        @Override
        public int twice(int x) {
            return 2 * x;
        }
    }

    /** The learner's file as shipped. */
    public static final class UntouchedDoubler implements Doubler {
        @Override
        public int twice(int x) {
            throw new NotImplementedYet("in UntouchedDoubler.twice, return 2 * x");
        }
    }

    /** Hangs on every call. */
    public static final class HangingDoubler implements Doubler {
        @Override
        public int twice(int x) {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    /** Wrong for 3 only. */
    public static final class WrongForThree implements Doubler {
        @Override
        public int twice(int x) {
            return x == 3 ? 7 : 2 * x;
        }
    }

    /** Wrong for 3 and for 4. */
    public static final class WrongForThreeAndFour implements Doubler {
        @Override
        public int twice(int x) {
            return x == 3 || x == 4 ? 0 : 2 * x;
        }
    }

    /** Its harness finds it stuck on every call (a spec's own bound, as {@link SolutionHung} reports it). */
    public static final class StuckDoubler implements Doubler {
        @Override
        public int twice(int x) {
            throw new SolutionHung("twice(" + x + ") did not return within 1 second");
        }
    }

    @GradedExercise(value = "00 twice", learner = SolvedDoubler.class, reference = SolvedDoubler.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @Timeout(2)
    static class DoublerSpec {
        @Test
        @Order(1)
        void doublesOne(@Solution Doubler solution) {
            assertThat(solution.twice(1)).as("twice(1) must be 2").isEqualTo(2);
        }

        @Test
        @Order(2)
        void doublesThree(@Solution Doubler solution) {
            assertThat(solution.twice(3)).as("twice(3) must be 6").isEqualTo(6);
        }

        @Test
        @Order(3)
        void doublesFour(@Solution Doubler solution) {
            assertThat(solution.twice(4)).as("twice(4) must be 8").isEqualTo(8);
        }
    }

    /**
     * The core rule is declared first; JUnit runs the rules in name order here (as its default
     * order, which is unobvious, may too), so the core rule runs last.
     */
    @GradedExercise(value = "00 twice", learner = SolvedDoubler.class, reference = SolvedDoubler.class)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class CoreRuleFirstSpec {
        @Test
        void doublesThree(@Solution Doubler solution) {
            assertThat(solution.twice(3)).as("twice(3) must be 6").isEqualTo(6);
        }

        @Test
        @DisplayName("four becomes eight")
        void doublesFour(@Solution Doubler solution) {
            assertThat(solution.twice(4)).as("twice(4) must be 8").isEqualTo(8);
        }
    }

    /** A rule, then a parameterized rule of three cases. */
    @GradedExercise(value = "00 twice", learner = SolvedDoubler.class, reference = SolvedDoubler.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class CasesAfterAHangSpec {
        @Test
        @Order(1)
        void doublesOne(@Solution Doubler solution) {
            assertThat(solution.twice(1)).as("twice(1) must be 2").isEqualTo(2);
        }

        @ParameterizedTest(name = "x = {0}")
        @ValueSource(ints = {2, 3, 4})
        @Order(2)
        void doublesEach(int x, @Solution Doubler solution) {
            assertThat(solution.twice(x)).as("twice(%d) must be %d", x, 2 * x).isEqualTo(2 * x);
        }
    }

    @Test
    void amongEquallyTellingFailuresTheReportNamesTheRuleTheSpecStatesFirstInWords() {
        Grading.Report report = Grading.grade(CoreRuleFirstSpec.class, WrongForThreeAndFour.class);

        assertThat(report.outcomes())
                .extracting(Grading.Outcome::test)
                .as("run in name order")
                .containsExactly("four becomes eight", "doublesThree(Doubler)");
        assertThat(GradingReport.verdict(report.outcomes()))
                .startsWith("FAILING (0/2 rules pass). Broken rule: doubles three — [twice(3) must be 6]");
        assertThat(report.outcomes())
                .extracting(Grading.Outcome::rule)
                .as("a @DisplayName as written, a method name in words")
                .containsExactly("four becomes eight", "doubles three");
    }

    @Test
    void afterAHangEveryCaseOfAParameterizedRuleIsReportedNotRunSoEveryRuleIsCounted() {
        Grading.Report report = Grading.grade(CasesAfterAHangSpec.class, StuckDoubler.class);

        assertThat(report.outcomes())
                .extracting(Grading.Outcome::status)
                .containsExactly(
                        Grading.Status.FAILED, Grading.Status.SKIPPED, Grading.Status.SKIPPED, Grading.Status.SKIPPED);
        assertThat(report.outcomes().get(1).rule()).isEqualTo("doubles each (x = 2)");
        assertThat(GradingReport.verdict(report.outcomes()))
                .isEqualTo("FAILING (0/4 rules pass). A rule hung: doubles one — hang: twice(1) did not return within"
                        + " 1 second");
    }

    @Test
    void theSelfCheckGradesAStubMadeFromTheInterfaceNotTheLearnersFile() {
        Grading.Report report = Grading.assertNotImplementedYet(DoublerSpec.class);

        assertThat(report.outcomes())
                .extracting(Grading.Outcome::message)
                .allMatch(m -> m.contains("SolvedDoubler.twice"), "names the learner's class and method");
    }

    @Test
    void anUntouchedExerciseIsAbortedSoTheBuildStaysGreen() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Grading.GRADE_PROPERTY, UntouchedDoubler.class.getName())
                .selectors(selectClass(DoublerSpec.class))
                .execute()
                .testEvents();

        assertThat(tests.aborted().count()).as("rules aborted as not started").isEqualTo(3);
        assertThat(tests.failed().count()).as("rules failed").isZero();
    }

    @Test
    void afterOneRuleHangsTheOthersAreNotRunSoTheVerdictCostsOneTimeout() {
        Grading.Report report = Grading.grade(DoublerSpec.class, HangingDoubler.class);

        assertThat(report.outcomes())
                .extracting(Grading.Outcome::status)
                .containsExactly(Grading.Status.FAILED, Grading.Status.SKIPPED, Grading.Status.SKIPPED);
        Grading.Outcome hang = report.outcomes().get(0);
        assertThat(hang.hung())
                .as("the first rule is reported as a hang: " + hang)
                .isTrue();
        assertThat(hang.message()).contains("HangingDoubler.twice");
        assertThat(report.outcomes().get(1).message()).contains(SolutionResolver.SKIPPED_AFTER_HANG, "doublesOne");
    }

    @Test
    void theReportNamesAPreciseBrokenRuleBeforeAHangAndKeepsAHangsDiagnosis() {
        Grading.Outcome hang = new Grading.Outcome(
                "a",
                Grading.Status.FAILED,
                "hang: a() timed out after 2 seconds; here is what the threads were doing:\n  \"worker\" WAITING");
        Grading.Outcome precise = new Grading.Outcome("b", Grading.Status.FAILED, "twice(3) must be 6");
        Grading.Outcome notRun = new Grading.Outcome("c", Grading.Status.SKIPPED, "not run");

        assertThat(GradingReport.verdict(List.of(hang, precise, notRun)))
                .startsWith("FAILING (0/3 rules pass). Broken rule: b — twice(3) must be 6");
        assertThat(GradingReport.verdict(List.of(notRun, hang)))
                .contains("A rule hung: a — hang: a() timed out after 2 seconds")
                .contains("\"worker\" WAITING");
    }

    @Test
    void aMistakeThatAnotherRuleStatesIsHeadlinedByThatRule() {
        String spins = Grading.mistakeOfRule(2, "map is spinning");
        Grading.Outcome seenInRuleOne = new Grading.Outcome("1. Split", Grading.Status.FAILED, spins);
        Grading.Outcome itsOwnRule = new Grading.Outcome("2. Wait", Grading.Status.FAILED, spins);
        Grading.Outcome precise = new Grading.Outcome("3. Other", Grading.Status.FAILED, "twice(3) must be 6");

        assertThat(Grading.mostTelling(List.of(seenInRuleOne, itsOwnRule))).contains(itsOwnRule);
        assertThat(Grading.mostTelling(List.of(seenInRuleOne, precise)))
                .as("another rule's mistake seen in rule 1 ranks below every precise failure")
                .contains(precise);
        assertThat(Grading.mostTelling(List.of(seenInRuleOne))).contains(seenInRuleOne);
    }

    @Test
    void aHeadlineEndsOnItsSentenceNeverOnTheColonThatIntroducesADump() {
        Grading.Outcome hang = new Grading.Outcome(
                "a",
                Grading.Status.FAILED,
                "hang: call() did not return within 10 s. Where the threads were:\n  \"caller\" RUNNABLE");

        String verdict = GradingReport.verdict(List.of(hang));

        assertThat(verdict.lines().findFirst().orElseThrow())
                .isEqualTo("FAILING (0/1 rules pass). A rule hung: a — hang: call() did not return within 10 s.");
        assertThat(verdict).contains("Where the threads were:\n        \"caller\" RUNNABLE");
    }

    @Test
    void aPreciseFailureIsReportedWithItsRule() {
        Grading.Report report = Grading.assertRejects(DoublerSpec.class, WrongForThree.class, "twice(3) must be 6");

        assertThat(report.mostTellingProblem())
                .get()
                .extracting(Grading.Outcome::test)
                .isEqualTo("doublesThree(Doubler)");
    }

    @Test
    void aGradedClassThatBreaksACourseRuleFailsEveryRuleSayingWhichAndTheFix() {
        Grading.Report report = Grading.grade(
                DoublerSpec.class, dev.threadlab.common.testsupport.archfixture.gamma.SleepingDoubler.class);

        assertThat(report.outcomes())
                .hasSize(3)
                .allMatch(
                        o -> o.status() == Grading.Status.FAILED
                                && o.message().startsWith("course rule: SleepingDoubler calls Thread.sleep"),
                        "each rule names the course rule");
    }
}
