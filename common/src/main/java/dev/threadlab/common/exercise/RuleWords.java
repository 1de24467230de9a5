package dev.threadlab.common.exercise;

import java.util.Locale;

/**
 * How the course names a rule of a spec to a learner: in words, as the spec's author wrote it
 * ({@code @DisplayName}), else the test method's name taken apart. The grading report, the runner
 * and the instructors' reports all word a rule this way.
 */
public final class RuleWords {

    private RuleWords() {}

    /**
     * @param name a rule's JUnit display name: "fewerThanOneThreadIsRefusedWithAClearError(StartAndJoin)",
     *             a method name, or a {@code @DisplayName} sentence
     * @return "fewer than one thread is refused with a clear error"; a display name with spaces as it is
     */
    public static String of(String name) {
        String strip = name.strip();
        if (strip.contains(" ")) {
            return strip; // a @DisplayName, "(…)" and all: "1. Every record is in the file after close()"
        }
        String bare = strip.replaceFirst("\\(.*\\)$", "");
        return bare.isEmpty() ? strip : kebab(bare).replace('-', ' ');
    }

    /** @return "start-and-join" for "StartAndJoin", "print-numbers" for "PrintNumbers" */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .replace('_', '-')
                .toLowerCase(Locale.ROOT);
    }
}
