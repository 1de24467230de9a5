package dev.threadlab.common.exercise;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the course names a rule of a spec to a learner: in words, as the spec's author wrote it
 * ({@code @DisplayName}), else the test method's name taken apart. The grading report, the runner
 * and the instructors' reports all word a rule this way.
 */
public final class RuleWords {

    /** A JUnit method display name: the method, its parameter types, then what a case adds. */
    private static final Pattern METHOD = Pattern.compile("([A-Za-z_$][\\w$]*)\\([^)]*\\)(.*)");

    private RuleWords() {}

    /**
     * @param name a rule's JUnit display name: "fewerThanOneThreadIsRefusedWithAClearError(StartAndJoin)",
     *             a method name, or a {@code @DisplayName} sentence
     * @return "fewer than one thread is refused with a clear error"; a display name with spaces as it is
     */
    public static String of(String name) {
        String strip = name.strip();
        Matcher method = METHOD.matcher(strip); // "doublesEach(int, Doubler) (x = 2)"
        if (method.matches()) {
            return kebab(method.group(1)).replace('-', ' ') + method.group(2);
        }
        // a bare method name, or a @DisplayName as it is, "(…)" and all: "1. … after close()"
        return strip.contains(" ") || strip.isEmpty() ? strip : kebab(strip).replace('-', ' ');
    }

    /** @return "start-and-join" for "StartAndJoin", "print-numbers" for "PrintNumbers" */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .replace('_', '-')
                .toLowerCase(Locale.ROOT);
    }
}
