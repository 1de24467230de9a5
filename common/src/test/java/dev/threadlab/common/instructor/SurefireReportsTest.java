package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A spec's Surefire report read back as the grading report words it. */
class SurefireReportsTest {

    static final Course.Exercise EXERCISE = new Course.Exercise(
            "01-basic-threads",
            "01 start, run and join threads",
            1,
            "dev.threadlab.basics.exercise.StartAndJoinSpec",
            Path.of("x"),
            "dev.threadlab.basics.exercise.YourStartAndJoin",
            Optional.empty(),
            List.of("first", "second", "third", "fourth"));

    private static final String NOT_STARTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="dev.threadlab.basics.exercise.StartAndJoinSpec" tests="2" skipped="2">
              <properties><property name="a" value="b"/></properties>
              <testcase name="second(StartAndJoin)" classname="dev.threadlab.basics.exercise.StartAndJoinSpec" time="0.0">
                <skipped type="org.opentest4j.TestAbortedException"><![CDATA[org.opentest4j.TestAbortedException: not implemented yet: in YourStartAndJoin.runAll, start them
            	at dev.threadlab.basics.exercise.StartAndJoinSpec.second(StartAndJoinSpec.java:141)
            ]]></skipped>
              </testcase>
              <testcase name="first(StartAndJoin)" classname="dev.threadlab.basics.exercise.StartAndJoinSpec" time="0.0">
                <skipped type="org.opentest4j.TestAbortedException"><![CDATA[org.opentest4j.TestAbortedException: not implemented yet: in YourStartAndJoin.runAll, start them
            	at dev.threadlab.basics.exercise.StartAndJoinSpec.first(StartAndJoinSpec.java:48)
            Caused by: dev.threadlab.common.exercise.NotImplementedYet: not implemented yet: in YourStartAndJoin.runAll, start them
            ]]></skipped>
              </testcase>
            </testsuite>
            """;

    private static final String FAILING = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="dev.threadlab.basics.exercise.StartAndJoinSpec" tests="4">
              <testcase name="fourth(StartAndJoin)" classname="S" time="0.1"/>
              <testcase name="third(StartAndJoin)" classname="S" time="20.0">
                <error message="hang: theThreadsRunAtTheSameTime did not finish within 20 s.&#10;&quot;main&quot; WAITING" type="java.util.concurrent.TimeoutException"><![CDATA[trace]]></error>
                <system-out><![CDATA[lots of output]]></system-out>
              </testcase>
              <testcase name="second(StartAndJoin)" classname="S" time="0.0">
                <skipped message="not run: an earlier rule hung (third); fix that one first, then grade again"/>
              </testcase>
              <testcase name="first(StartAndJoin)" classname="S" time="0.2">
                <failure message="the task ran 0 times for 3 threads: a thread runs its task only once start() is called" type="java.lang.AssertionError"><![CDATA[java.lang.AssertionError: the task ran 0 times
            	at x.y(Z.java:1)]]></failure>
              </testcase>
            </testsuite>
            """;

    @Test
    void everyRuleMeetingTheStubIsNotStarted() throws IOException {
        List<Rule> rules = read(NOT_STARTED);
        assertThat(rules)
                .extracting(Rule::name)
                .as("in the spec's source order")
                .containsExactly("first", "second");
        assertThat(rules).extracting(Rule::status).containsOnly(Status.NOT_IMPLEMENTED);

        ExerciseResult result = ExerciseResult.fromRules(EXERCISE, rules);
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_STARTED);
        assertThat(result.headline()).isEqualTo("not started: in YourStartAndJoin.runAll, start them");
        assertThat(result.cell()).isEqualTo("not started");
    }

    @Test
    void aPreciseBrokenRuleIsNamedBeforeAHangAndARuleNotRun() throws IOException {
        List<Rule> rules = read(FAILING);
        assertThat(rules)
                .extracting(Rule::status)
                .containsExactly(Status.FAILED, Status.SKIPPED, Status.HUNG, Status.PASSED);
        assertThat(rules.get(2).message())
                .startsWith("hang: theThreadsRunAtTheSameTime")
                .contains("\n\"main\" WAITING");

        ExerciseResult result = ExerciseResult.fromRules(EXERCISE, rules);
        assertThat(result.verdict()).isEqualTo(Verdict.FAILING);
        assertThat(result.headline())
                .isEqualTo("FAILING (1/4 rules pass). Broken rule: first — the task ran 0 times for 3 threads: "
                        + "a thread runs its task only once start() is called");
        assertThat(result.cell()).startsWith("failing (1/4 pass): Broken rule: first — the task ran 0 times");
    }

    @Test
    void aHangAloneIsReportedAsAHangWithItsFirstLine() throws IOException {
        List<Rule> rules =
                read(FAILING).stream().filter(r -> r.status() != Status.FAILED).toList();

        ExerciseResult result = ExerciseResult.fromRules(EXERCISE, rules);
        assertThat(result.headline())
                .isEqualTo("FAILING (1/3 rules pass). A rule hung: third — "
                        + "hang: theThreadsRunAtTheSameTime did not finish within 20 s. …");
        assertThat(result.details()).contains("\"main\" WAITING");
    }

    @Test
    void everyRulePassingIsPassed() {
        ExerciseResult result = ExerciseResult.fromRules(
                EXERCISE, List.of(new Rule("first", Status.PASSED, ""), new Rule("second", Status.PASSED, "")));
        assertThat(result.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(result.headline()).isEqualTo("passed (2/2 rules)");
        assertThat(result.cell()).isEqualTo("passed (2/2)");
    }

    private static List<Rule> read(String xml) throws IOException {
        return SurefireReports.rules(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), EXERCISE.rules());
    }
}
