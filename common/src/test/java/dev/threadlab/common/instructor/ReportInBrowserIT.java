package dev.threadlab.common.instructor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import dev.threadlab.common.instructor.ExerciseResult.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class report opens from disk in a real browser (headless Chromium, no server) and shows one
 * row per student and a cell per exercise with each kind of verdict; the screenshot is kept for a
 * person to look at.
 *
 * <p>Needs Debian's {@code chromium} ({@code apt-get install chromium}); not part of
 * {@code ./mvnw verify} (the name ends in IT). Run it with:
 * <pre>./mvnw -q -pl common verify -Dtest=ReportInBrowserIT -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * The screenshot is written to {@code common/target/class-report.png}.
 */
class ReportInBrowserIT {

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a browser's first start on a loaded machine
    void theReportRendersEveryVerdictInAHeadlessBrowserFromDisk() throws Exception {
        String chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .filter(ReportInBrowserIT::onPath)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no headless browser: install Debian's chromium (apt-get install chromium)"));
        List<StudentResult> students = List.of(
                ReportsTest.student(
                        "ada",
                        ReportsTest.rules(ReportsTest.E01, new Rule("startsAll", Status.PASSED, "")),
                        ReportsTest.rules(ReportsTest.E03, new Rule("movesMoney", Status.PASSED, ""))),
                ReportsTest.student(
                        "bob",
                        ReportsTest.rules(
                                ReportsTest.E01,
                                new Rule(
                                        "startsAll",
                                        Status.FAILED,
                                        "the task ran on the calling thread <main>: start() makes a new thread"),
                                new Rule("joins", Status.PASSED, "")),
                        ExerciseResult.without(
                                ReportsTest.E03,
                                Verdict.DOES_NOT_COMPILE,
                                "does not compile: 03-locks/src/main/java/YourTeller.java:8: error: ';' expected",
                                "03-locks/src/main/java/YourTeller.java:8: error: ';' expected")),
                ReportsTest.student(
                        "cy",
                        ExerciseResult.without(
                                ReportsTest.E01, Verdict.TIMED_OUT, "timed out: grading was stopped after 150 s", ""),
                        ExerciseResult.without(ReportsTest.E03, Verdict.NOT_SUBMITTED, "not submitted", "")));
        Path report = temp.resolve("report.html");
        Files.writeString(
                report,
                ClassReport.html(
                        List.of(ReportsTest.E01, ReportsTest.E03),
                        students,
                        new StudentBuild.Limits(Duration.ofSeconds(150), 768, 16L << 20)));

        String dom = run(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                report.toUri().toString());
        List<String> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr data-student=\"([^\"]+)\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(dom);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td class=\"v ([a-z-]+)\"[^>]*>([^<]*)</td>")
                    .matcher(row.group(2));
            while (cell.find()) {
                cells.add(cell.group(1) + ":" + cell.group(2));
            }
            rows.add(row.group(1) + " " + cells);
        }
        assertThat(rows)
                .containsExactly(
                        "ada [passed:passed 1/1, passed:passed 1/1]",
                        "bob [failing:failing 1/2, does-not-compile:does not compile]",
                        "cy [timed-out:timed out, not-submitted:not submitted]");
        assertThat(dom).contains("the task ran on the calling thread &lt;main&gt;", "id=\"student-bob\"");

        Path png = StudentEditionTest.COURSE.resolve("common/target/class-report.png");
        run(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,900",
                "--screenshot=" + png,
                report.toUri().toString());
        assertThat(png).isRegularFile();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(temp, "chromium", ".out");
        Process browser = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!browser.waitFor(2, TimeUnit.MINUTES)) {
            StudentBuild.killTree(browser.toHandle());
            throw new AssertionError("chromium did not finish within 2 minutes");
        }
        StudentBuild.killTree(browser.toHandle()); // its helper processes, if any outlived it
        assertThat(browser.exitValue()).as("chromium's exit code").isZero();
        return Files.readString(out);
    }
}
