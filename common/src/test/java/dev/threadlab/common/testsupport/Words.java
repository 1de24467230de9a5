package dev.threadlab.common.testsupport;

/**
 * Counted words for grading messages, so that a count and its noun and verb agree:
 * {@code "only " + Words.of(1, "task") + " " + Words.was(1) + " running"} reads "only 1 task was
 * running", and with 3, "only 3 tasks were running".
 */
public final class Words {

    private Words() {}

    /** @return "1 task", "3 tasks", "0 tasks" (the plural adds an s) */
    public static String of(long n, String singular) {
        return of(n, singular, singular + "s");
    }

    /** @return "1 child", "2 children" */
    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** @return "was" for 1, "were" otherwise */
    public static String was(long n) {
        return n == 1 ? "was" : "were";
    }
}
