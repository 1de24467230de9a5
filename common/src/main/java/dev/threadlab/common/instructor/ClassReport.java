package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.Course.Exercise;
import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The class's grades as a CSV table (student × exercise) and as one static HTML page (no script, no
 * server: it opens from disk) with each student's details and links to their log and results.json.
 */
final class ClassReport {

    private ClassReport() {}

    /** One row per student: a cell per exercise (see {@link ExerciseResult#cell()}), then totals. */
    static String csv(List<Exercise> exercises, List<StudentResult> students) {
        StringBuilder out = new StringBuilder(cell("student"));
        exercises.forEach(e -> out.append(',').append(cell(e.title())));
        out.append(",exercises passed,seconds\r\n");
        for (StudentResult s : students) {
            out.append(cell(s.id()));
            s.exercises().forEach(e -> out.append(',').append(cell(e.cell())));
            out.append(',')
                    .append(s.exercisesPassed())
                    .append(',')
                    .append(s.took().toSeconds())
                    .append("\r\n");
        }
        return out.toString();
    }

    /** An RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =,+,-,@ is defused. */
    static String cell(String value) {
        String v = value.replace("\r", "");
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v; // a spreadsheet must not take a student's text for a formula
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    static String html(List<Exercise> exercises, List<StudentResult> students, StudentBuild.Limits limits) {
        StringBuilder out = new StringBuilder();
        out.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>threadlab: class grades</title>
                <style>
                body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
                table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
                th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
                th { background: #f3f3f3; }
                td.v { white-space: nowrap; }
                .passed { background: #d9f2d9; } .failing { background: #fde2c8; } .not-started, .not-submitted { background: #eee; }
                .does-not-compile, .timed-out, .too-much-output, .jvm-stopped, .not-graded { background: #f8c9c9; }
                pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; max-height: 30em; white-space: pre-wrap; }
                section.student { border-top: 2px solid #ddd; margin-top: 1.5em; }
                .rule-PASSED { color: #2a7a2a; } .rule-FAILED, .rule-HUNG { color: #b03030; } .muted { color: #777; }
                </style></head><body>
                """);
        out.append("<h1>threadlab: class grades</h1>\n<p class=\"muted\">")
                .append(students.size())
                .append(" students, graded ")
                .append(esc(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
                .append("; each within ")
                .append(limits.time().toSeconds())
                .append(" s, ")
                .append(limits.memoryMb())
                .append(" MB a JVM, ")
                .append(limits.outputBytes() >> 20)
                .append(" MiB of output.</p>\n");
        out.append("<table id=\"grades\"><thead><tr><th>student</th>");
        exercises.forEach(e -> out.append("<th>").append(esc(e.title())).append("</th>"));
        out.append("<th>passed</th><th>time</th></tr></thead><tbody>\n");
        for (StudentResult s : students) {
            out.append("<tr data-student=\"")
                    .append(esc(s.id()))
                    .append("\"><td><a href=\"#")
                    .append(anchor(s.id()))
                    .append("\">")
                    .append(esc(s.id()))
                    .append("</a></td>");
            for (ExerciseResult e : s.exercises()) {
                out.append("<td class=\"v ")
                        .append(cssClass(e))
                        .append("\" title=\"")
                        .append(esc(e.headline()))
                        .append("\">")
                        .append(esc(shortCell(e)))
                        .append("</td>");
            }
            out.append("<td>")
                    .append(s.exercisesPassed())
                    .append("/")
                    .append(s.exercises().size())
                    .append("</td><td>")
                    .append(s.took().toSeconds())
                    .append(" s</td></tr>\n");
        }
        out.append("</tbody></table>\n<p><a href=\"grades.csv\">grades.csv</a></p>\n");
        for (StudentResult s : students) {
            String folder = "students/" + s.id() + "/";
            out.append("<section class=\"student\" id=\"")
                    .append(anchor(s.id()))
                    .append("\">\n<h2>")
                    .append(esc(s.id()))
                    .append("</h2>\n<p class=\"muted\">")
                    .append(esc(s.source()))
                    .append(" · ")
                    .append(s.took().toSeconds())
                    .append(" s · <a href=\"")
                    .append(esc(folder))
                    .append("results.json\">results.json</a> · <a href=\"")
                    .append(esc(folder))
                    .append("build.log\">build log</a> · <a href=\"")
                    .append(esc(folder))
                    .append("submission.txt\">files taken</a>");
            if (s.build() != null) {
                out.append(" · build printed ").append(s.build().outputBytes()).append(" bytes");
            }
            out.append("</p>\n");
            if (!s.notes().isEmpty()) {
                out.append("<ul>");
                s.notes().forEach(n -> out.append("<li>").append(esc(n)).append("</li>"));
                out.append("</ul>\n");
            }
            for (ExerciseResult e : s.exercises()) {
                out.append("<h3>")
                        .append(esc(e.exercise().title()))
                        .append(" — <span class=\"")
                        .append(cssClass(e))
                        .append("\">")
                        .append(esc(e.verdict().word()))
                        .append("</span></h3>\n<p>")
                        .append(esc(e.headline()))
                        .append("</p>\n");
                if (!e.details().isBlank()) {
                    out.append("<pre>").append(esc(e.details())).append("</pre>\n");
                }
                if (!e.rules().isEmpty()) {
                    out.append("<details><summary>")
                            .append(e.passedRules())
                            .append(" of ")
                            .append(e.rules().size())
                            .append(
                                    " rules passed</summary><table><tr><th>rule</th><th>outcome</th><th>message</th></tr>");
                    for (Rule r : e.rules()) {
                        out.append("<tr><td>")
                                .append(esc(r.name()))
                                .append("</td><td class=\"rule-")
                                .append(r.status())
                                .append("\">")
                                .append(esc(word(r.status())))
                                .append("</td><td>")
                                .append(r.message().isBlank() ? "" : "<pre>" + esc(r.message()) + "</pre>")
                                .append("</td></tr>");
                    }
                    out.append("</table></details>\n");
                }
            }
            out.append("</section>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    private static String shortCell(ExerciseResult e) {
        return switch (e.verdict()) {
            case PASSED, FAILING ->
                e.verdict().word() + " " + e.passedRules() + "/" + e.rules().size();
            default -> e.verdict().word();
        };
    }

    private static String word(Status status) {
        return switch (status) {
            case PASSED -> "passed";
            case FAILED -> "failed";
            case HUNG -> "hung";
            case NOT_IMPLEMENTED -> "not implemented yet";
            case SKIPPED -> "not run";
        };
    }

    static String cssClass(ExerciseResult e) {
        return e.verdict().word().toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-");
    }

    static String anchor(String id) {
        return "student-" + id.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** HTML text or attribute value, escaped. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
