package dev.threadlab.common.instructor;

import dev.threadlab.common.instructor.ExerciseResult.Rule;
import dev.threadlab.common.instructor.ExerciseResult.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A grading run as exercism's test-runner interface, version 3, writes it ({@code results.json}):
 * <pre>{@code
 * {"version": 3, "status": "pass" | "fail" | "error", "message": ..., "tests": [
 *   {"name": ..., "status": "pass" | "fail" | "error", "message": ..., "task_id": 1}, ...]}
 * }</pre>
 * <ul>
 *   <li>each rule of each exercise is one test, named "{exercise title}: {rule}", in the spec's source
 *       order, with the exercise's number as its {@code task_id}; a failing rule's message is the
 *       grading's whole diagnosis; a rule that met the untouched stub fails with "not implemented yet: …";
 *       a rule not run after an earlier rule hung is an error;</li>
 *   <li>an exercise where no rule could run (does not compile, timed out, too much output, its JVM
 *       stopped) is one test with status error and the reason; an exercise not submitted is one test
 *       that fails;</li>
 *   <li>the run's status is pass when every test passed, error when no test could run at all (with
 *       the reasons as its message), fail otherwise.</li>
 * </ul>
 */
final class ResultsJson {

    private ResultsJson() {}

    static String of(StudentResult student) {
        List<String> tests = new ArrayList<>();
        boolean allPassed = true;
        boolean anyRan = false;
        List<String> errors = new ArrayList<>();
        for (ExerciseResult exercise : student.exercises()) {
            int task = exercise.exercise().taskId();
            String title = exercise.exercise().title();
            if (exercise.rules().isEmpty()) {
                boolean error = exercise.verdict().noRuleRan();
                String message = exercise.details().isBlank()
                        ? exercise.headline()
                        : exercise.verdict() == ExerciseResult.Verdict.DOES_NOT_COMPILE
                                ? "does not compile:\n" + exercise.details()
                                : exercise.headline() + "\n" + exercise.details();
                tests.add(test(title, error ? "error" : "fail", message, task));
                allPassed = false;
                anyRan |= !error;
                if (error) {
                    errors.add(title + ": " + exercise.headline());
                }
                continue;
            }
            for (Rule rule : exercise.rules()) {
                String status = switch (rule.status()) {
                    case PASSED -> "pass";
                    case SKIPPED -> "error";
                    default -> "fail";
                };
                allPassed &= rule.status() == Status.PASSED;
                anyRan = true;
                tests.add(test(
                        title + ": " + rule.name(),
                        status,
                        rule.status() == Status.PASSED ? null : rule.message(),
                        task));
            }
        }
        String status = tests.isEmpty() ? "error" : allPassed ? "pass" : anyRan ? "fail" : "error";
        String message =
                !status.equals("error") ? null : tests.isEmpty() ? "nothing was graded" : String.join("\n", errors);
        StringBuilder json = new StringBuilder("{\n  \"version\": 3,\n  \"status\": \"")
                .append(status)
                .append("\",\n  \"message\": ")
                .append(string(message))
                .append(",\n  \"tests\": [");
        for (int i = 0; i < tests.size(); i++) {
            json.append(i == 0 ? "\n    " : ",\n    ").append(tests.get(i));
        }
        return json.append(tests.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static String test(String name, String status, String message, int task) {
        return "{\"name\": " + string(name) + ", \"status\": \"" + status + "\", \"message\": " + string(message)
                + ", \"task_id\": " + task + "}";
    }

    /** A JSON string (or null), every character that must be escaped escaped. */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
