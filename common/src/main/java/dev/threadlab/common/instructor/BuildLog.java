package dev.threadlab.common.instructor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a grading build's log says about each module: the compiler's errors (paths made relative to
 * the student's copy) and the goals that failed ({@code Failed to execute goal … on project NN-…}).
 */
final class BuildLog {

    /** javac's error line; Maven prefixes it with [ERROR], unless a JVM's "Picked up JAVA_TOOL_OPTIONS" took that. */
    private static final Pattern COMPILE_ERROR =
            Pattern.compile("^(?:\\[ERROR\\] )?(/.+?\\.java):\\[(\\d+),(\\d+)\\] (.*)$");

    private static final Pattern FAILED_GOAL =
            Pattern.compile("Failed to execute goal (\\S+) \\(([^)]*)\\) on project ([\\w.-]+): (.*)$");

    /** A goal that failed in a module. */
    record FailedGoal(String plugin, String execution, String message) {
        boolean compiler() {
            return plugin.contains("maven-compiler-plugin");
        }

        boolean surefire() {
            return plugin.contains("maven-surefire-plugin");
        }
    }

    private final Map<String, List<String>> compileErrors = new LinkedHashMap<>();
    private final Map<String, List<FailedGoal>> failedGoals = new LinkedHashMap<>();
    private final boolean outOfMemory;

    BuildLog(String log, String slot) {
        String[] lines = log.lines()
                .filter(l -> !l.contains("Picked up JAVA_TOOL_OPTIONS"))
                .toArray(String[]::new);
        String prefix = slot.endsWith("/") ? slot : slot + "/";
        for (int i = 0; i < lines.length; i++) {
            Matcher error = COMPILE_ERROR.matcher(lines[i]);
            if (error.matches()) {
                String path =
                        error.group(1).startsWith(prefix) ? error.group(1).substring(prefix.length()) : error.group(1);
                String module = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
                StringBuilder entry = new StringBuilder(path + ":" + error.group(2) + ": " + error.group(4));
                for (int j = i + 1;
                        j < lines.length && j <= i + 3 && lines[j].startsWith("  ") && !lines[j].startsWith("[");
                        j++) {
                    entry.append("\n").append(lines[j]);
                }
                // javac's errors are listed twice (as found, and in the failure's summary): keep each once
                List<String> errors = compileErrors.computeIfAbsent(module, k -> new ArrayList<>());
                String first = entry.toString().lines().findFirst().orElse("");
                if (errors.stream()
                        .noneMatch(e -> e.lines().findFirst().orElse("").equals(first))) {
                    errors.add(entry.toString());
                }
                continue;
            }
            Matcher goal = FAILED_GOAL.matcher(lines[i]);
            if (goal.find()) {
                // the reason may follow on the next lines ("[ERROR] ExecutionException The forked VM terminated ...")
                StringBuilder message = new StringBuilder(goal.group(4).strip());
                for (int j = i + 1, taken = 0; j < lines.length && taken < 8; j++) {
                    String next = lines[j].replaceFirst("^\\[ERROR\\] ?", "");
                    if (next.contains("Failed to execute goal")
                            || next.startsWith("-> [Help")
                            || next.startsWith("To see the full stack trace")
                            || COMPILE_ERROR.matcher(lines[j]).matches()) {
                        break;
                    }
                    if (next.startsWith("Command was ") || next.startsWith("\tat ")) {
                        break;
                    }
                    if (!next.isBlank() && !next.startsWith("Please refer to ") && !next.startsWith("See ")) {
                        message.append(message.isEmpty() ? "" : "\n").append(next);
                        taken++;
                    }
                }
                failedGoals
                        .computeIfAbsent(goal.group(3), k -> new ArrayList<>())
                        .add(new FailedGoal(
                                goal.group(1), goal.group(2), message.toString().replace(prefix, "")));
            }
        }
        outOfMemory = log.contains("java.lang.OutOfMemoryError");
    }

    /** @return the compiler's errors in a module's files, each "path:line: message" (maybe with detail lines) */
    List<String> compileErrors(String module) {
        return compileErrors.getOrDefault(module, List.of());
    }

    /** @return the goals that failed in a module */
    List<FailedGoal> failedGoals(String module) {
        return failedGoals.getOrDefault(module, List.of());
    }

    /** @return true if a compiler goal failed in the module */
    boolean compilationFailed(String module) {
        return !compileErrors(module).isEmpty() || failedGoals(module).stream().anyMatch(FailedGoal::compiler);
    }

    /** @return true if the module's test JVM stopped before it reported (System.exit, a crash) */
    boolean testJvmStopped(String module) {
        return failedGoals(module).stream()
                .anyMatch(g -> g.surefire()
                        && (g.message().contains("forked VM terminated")
                                || g.message().contains("System.exit")
                                || g.message().contains("error in the forked process")
                                || g.message().contains("crash")));
    }

    boolean outOfMemory() {
        return outOfMemory;
    }
}
