package dev.threadlab.common.runner;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Spelling helpers: kebab-case names and "did you mean" suggestions. */
final class Names {

    private Names() {}

    /** @return "start-and-join" for "StartAndJoin", "print-numbers" for "PrintNumbers" */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .replace('_', '-')
                .toLowerCase(Locale.ROOT);
    }

    /**
     * @return "the task runs once" for "theTaskRunsOnce(StartAndJoin)"; a {@code @DisplayName}, such
     *         as "4. close() removes the hook", as it is
     */
    static String words(String displayName) {
        int parameters = displayName.indexOf('(');
        String name = parameters < 0 ? displayName : displayName.substring(0, parameters);
        if (name.contains(" ")) {
            return displayName; // a @DisplayName
        }
        return kebab(name).replace('-', ' ');
    }

    /** @return the input as the runner compares names: lower case, no dashes, underscores or spaces */
    static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]", "");
    }

    /** @return the candidates that look like {@code input}, closest first (at most three) */
    static List<String> suggest(String input, List<String> candidates) {
        String wanted = squash(input);
        return candidates.stream()
                .filter(c -> {
                    String have = squash(c);
                    return have.contains(wanted)
                            || wanted.contains(have) && have.length() > 2
                            || distance(have, wanted) <= Math.max(2, wanted.length() / 3)
                            || wanted.length() >= 3
                                    && have.length() > wanted.length() // a misspelt start: "pritn"
                                    && distance(have.substring(0, wanted.length()), wanted)
                                            <= Math.max(2, wanted.length() / 3);
                })
                .sorted(Comparator.comparingInt(c -> distance(squash(c), wanted)))
                .collect(java.util.stream.Collectors.toMap(
                        Names::squash, c -> c, (a, b) -> a, java.util.LinkedHashMap::new))
                .values()
                .stream()
                .limit(3)
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
