package dev.threadlab.common.runner;

import dev.threadlab.common.exercise.RuleWords;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Spelling helpers: kebab-case names and "did you mean" suggestions. */
final class Names {

    private Names() {}

    /** @return "start-and-join" for "StartAndJoin", "print-numbers" for "PrintNumbers" */
    static String kebab(String camel) {
        return RuleWords.kebab(camel);
    }

    /** @return "'check'", "'check' or 'hint'": a suggestion as the messages quote it */
    static String quoted(List<String> names) {
        List<String> q = names.stream().map(n -> "'" + n + "'").toList();
        return q.size() <= 1
                ? String.join("", q)
                : String.join(", ", q.subList(0, q.size() - 1)) + " or " + q.get(q.size() - 1);
    }

    /** @return the input as the runner compares names: lower case, no dashes, underscores or spaces */
    static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]", "");
    }

    /**
     * @return the candidates that look like {@code input}, closest first (at most three); none for a
     *         number ("99" is not a misspelt "01": the caller lists what exists instead)
     */
    static List<String> suggest(String input, List<String> candidates) {
        String wanted = squash(input);
        if (wanted.isEmpty() || wanted.matches("[\\d.]+")) {
            return List.of();
        }
        // Two edits turn any short word into any other: a short word may differ by one.
        int bound = wanted.length() <= 3 ? 1 : Math.max(2, wanted.length() / 3);
        return candidates.stream()
                .filter(c -> {
                    String have = squash(c);
                    return have.contains(wanted)
                            || wanted.contains(have) && have.length() > 2
                            || distance(have, wanted) <= bound
                            || wanted.length() >= 3
                                    && have.length() > wanted.length() // a misspelt start: "pritn"
                                    && distance(have.substring(0, wanted.length()), wanted) <= bound;
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
