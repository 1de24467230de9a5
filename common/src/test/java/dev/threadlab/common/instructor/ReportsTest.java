package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** results.json (exercism's interface, version 3), the CSV table and the HTML page, from results made here. */
class ReportsTest {

    static final Course.Exercise E01 = exercise("01-basic-threads", "01 start, run and join threads", 1);
    static final Course.Exercise E03 = exercise("03-locks", "03 a teller, moving money", 3);

    static Course.Exercise exercise(String module, String title, int task) {
        return new Course.Exercise(module, title, task, "x.Spec", Path.of("x"), "x.Your", Optional.empty(), List.of());
    }

    static StudentResult student(String id, ExerciseResult... results) {
        return new StudentResult(id, "/submissions/" + id, List.of(results), List.of(), null, Duration.ofSeconds(42));
    }

    static ExerciseResult rules(Course.Exercise e, Rule... rules) {
        return ExerciseResult.fromRules(e, List.of(rules));
    }

    @Test
    void aRunWhereEveryRulePassedIsPass() {
        String json = ResultsJson.of(student(
                "ada",
                rules(E01, new Rule("startsAll", Status.PASSED, "")),
                rules(E03, new Rule("movesMoney", Status.PASSED, ""))));

        assertThat(json).isEqualTo("""
                {
                  "version": 3,
                  "status": "pass",
                  "message": null,
                  "tests": [
                    {"name": "01 start, run and join threads: startsAll", "status": "pass", "message": null, "task_id": 1},
                    {"name": "03 a teller, moving money: movesMoney", "status": "pass", "message": null, "task_id": 3}
                  ]
                }
                """);
    }

    @Test
    void eachRuleIsATestWithItsMessageAndAnExerciseThatCouldNotRunIsAnError() {
        String json = ResultsJson.of(student(
                "bob",
                rules(
                        E01,
                        new Rule("startsAll", Status.FAILED, "the task ran \"0\" times\n\tand\\nothing"),
                        new Rule("joins", Status.NOT_IMPLEMENTED, "not implemented yet: join them"),
                        new Rule("afterHang", Status.SKIPPED, "not run: an earlier rule hung")),
                ExerciseResult.without(
                        E03,
                        Verdict.DOES_NOT_COMPILE,
                        "does not compile: X.java:3: ';' expected",
                        "X.java:3: ';' expected")));

        assertThat(json)
                .startsWith("{\n  \"version\": 3,\n  \"status\": \"fail\",\n  \"message\": null,")
                .contains("{\"name\": \"01 start, run and join threads: startsAll\", \"status\": \"fail\", "
                        + "\"message\": \"the task ran \\\"0\\\" times\\n\\tand\\\\nothing\", \"task_id\": 1}")
                .contains("\"status\": \"fail\", \"message\": \"not implemented yet: join them\"")
                .contains("\"name\": \"01 start, run and join threads: afterHang\", \"status\": \"error\"")
                .contains("{\"name\": \"03 a teller, moving money\", \"status\": \"error\", "
                        + "\"message\": \"does not compile:\\nX.java:3: ';' expected\", \"task_id\": 3}");
    }

    @Test
    void aRunWhereNoRuleCouldRunIsAnErrorWithTheReasons() {
        String json = ResultsJson.of(student(
                "cy", ExerciseResult.without(E01, Verdict.TIMED_OUT, "timed out: grading was stopped after 60 s", "")));

        assertThat(json)
                .contains("\"status\": \"error\",\n  \"message\": \"01 start, run and join threads: timed out: "
                        + "grading was stopped after 60 s\"");
    }

    @Test
    void theCsvHasAColumnPerExerciseAndQuotesOrDefusesWhatAStudentsTextCouldBreak() {
        String csv = ClassReport.csv(
                List.of(E01, E03),
                List.of(
                        student(
                                "ada",
                                rules(E01, new Rule("a", Status.PASSED, "")),
                                rules(E03, new Rule("b", Status.PASSED, ""))),
                        student(
                                "bob",
                                rules(
                                        E01,
                                        new Rule("a", Status.FAILED, "=HYPERLINK(\"x\"), then, \"quoted\"\nline two"),
                                        new Rule("b", Status.PASSED, "")),
                                ExerciseResult.without(E03, Verdict.NOT_SUBMITTED, "not submitted", ""))));

        assertThat(csv.split("\r\n"))
                .containsExactly(
                        "student,\"01 start, run and join threads\",\"03 a teller, moving money\",exercises passed,seconds",
                        "ada,passed (1/1),passed (1/1),2,42",
                        "bob,\"failing (1/2 pass): Broken rule: a — =HYPERLINK(\"\"x\"\"), then, \"\"quoted\"\" …\",not submitted,0,42");
        assertThat(ClassReport.cell("=1+1")).isEqualTo("'=1+1");
    }

    @Test
    void theHtmlPageEscapesEveryStudentTextAndLinksEachStudentsDetails() {
        String html = ClassReport.html(
                List.of(E01),
                List.of(student(
                        "eve<script>", rules(E01, new Rule("a", Status.FAILED, "<script>alert(1)</script> & more")))),
                new StudentBuild.Limits(Duration.ofMinutes(10), 768, 16 << 20));

        assertThat(html)
                .doesNotContain("<script>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
                .contains("href=\"#student-eve_script_\"", "id=\"student-eve_script_\"")
                .contains("students/eve&lt;script&gt;/results.json")
                .contains("<td class=\"v failing\"");
    }
}
