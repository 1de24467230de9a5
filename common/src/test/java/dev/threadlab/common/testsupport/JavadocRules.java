package dev.threadlab.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The one-to-one match between an exercise's javadoc and its spec: the interface's numbered list
 * of the rules the grading checks ({@code <ol>} after "The rules", each {@code <li>} opening with a
 * bold title, {@code <li><b>Request order.</b> …}) and the spec's {@code @Test} methods, one per
 * rule, run in the same order ({@code @Order(n)}) and shown under the same words
 * ({@code @DisplayName("2. Request order")}). A learner who reads five rules is then graded on five,
 * and the report's "Broken rule: 2. Request order" points at the rule to reread. A title may use
 * {@code {@code …}} and {@code {@link …}}: they count as their text ({@code <b>{@code close()}
 * removes the hook.</b>} is "close() removes the hook"). A parameterized rule names its
 * invocations after the rule ({@code @ParameterizedTest(name = "{displayName}, …")}), as the report
 * shows an invocation's name.
 *
 * <p>Each module's grading self-check calls {@link #assertOneTestPerRule(Class)} for each spec.
 * What every test checks (nothing left running, a hang is reported) the javadoc states after the
 * list, not as a numbered rule. So does the course's rule that the grading checks before any rule
 * ({@link CourseRules#brokenBySolution}: no {@code Thread.sleep} or {@code TimeUnit.sleep} in the
 * learner's class): the interface's own javadoc must mention {@code Thread.sleep}, in a paragraph
 * after the list ({@link #SLEEP_RULE}).
 */
public final class JavadocRules {

    private static final Pattern LIST = Pattern.compile("(?is)the rules.*?<ol>(.*?)</ol>");
    private static final Pattern ITEM = Pattern.compile("(?is)<li>\\s*(?:<b>(.*?)</b>)?");
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(code|literal|link|linkplain)\\s+([^}]*)}");

    /** The paragraph every exercise interface's javadoc carries after its rules (the check looks for {@code Thread.sleep}). */
    public static final String SLEEP_RULE =
            "<p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in"
                    + " your class (wait for an event; where the exercise gives you a {@code Sleeper}, pause through it): the"
                    + " grading refuses it before any rule.";

    private JavadocRules() {}

    /**
     * Checks {@code spec} against the javadoc of its exercise's interface, read from the module's
     * {@code src/main/java} (the working directory of a module's tests is the module).
     *
     * @throws AssertionError naming each mismatch and how to fix it
     */
    public static void assertOneTestPerRule(Class<?> spec) {
        assertOneTestPerRule(spec, Path.of("src", "main", "java"));
    }

    /** As {@link #assertOneTestPerRule(Class)}, with the interface's source read from {@code sourceRoot}. */
    public static void assertOneTestPerRule(Class<?> spec, Path sourceRoot) {
        Class<?> exercise = exerciseInterface(Grading.findAnnotation(spec).learner());
        Path source = sourceRoot.resolve(exercise.getName().replace('.', '/') + ".java");
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the javadoc of " + exercise.getName() + " at " + source, e);
        }
        List<String> rules = titles(text);
        List<Method> tests = Arrays.stream(spec.getDeclaredMethods())
                .filter(m -> AnnotationSupport.isAnnotated(m, Testable.class)) // @Test, @ParameterizedTest, …
                .sorted(Comparator.comparingInt(JavadocRules::order).thenComparing(Method::getName))
                .toList();
        String interfaceName = exercise.getSimpleName();
        String specName = spec.getSimpleName();
        List<String> problems = new ArrayList<>();
        if (rules.isEmpty()) {
            problems.add(interfaceName + "'s javadoc has no numbered list of rules (\"The rules …\" then <ol><li>…)");
        }
        String javadoc = classJavadoc(text, exercise.getSimpleName());
        if (!javadoc.contains("Thread.sleep")) {
            problems.add(interfaceName + "'s javadoc does not mention Thread.sleep: the grading refuses a class that"
                    + " calls it before any rule, so say so where the learner reads the rules, in a paragraph after"
                    + " the list: \"" + SLEEP_RULE + "\"");
        }
        if (rules.size() != tests.size()) {
            problems.add(interfaceName + "'s javadoc lists " + rules.size() + " rules, but " + specName + " has "
                    + tests.size() + " @Test methods: one test per rule (split or merge rule statements in the"
                    + " javadoc, or tests in the spec, until they match)");
        }
        TestMethodOrder ordered = spec.getAnnotation(TestMethodOrder.class);
        if (ordered == null || ordered.value() != MethodOrderer.OrderAnnotation.class) {
            problems.add(specName + " is not @TestMethodOrder(MethodOrderer.OrderAnnotation.class): its tests must"
                    + " run in the order of the rules");
        }
        for (int i = 0; i < Math.min(rules.size(), tests.size()); i++) {
            int n = i + 1;
            Method test = tests.get(i);
            String title = rules.get(i);
            if (title == null) {
                problems.add("rule " + n + " of " + interfaceName + "'s javadoc has no bold title: open the <li> with"
                        + " <b>A title.</b>");
                continue;
            }
            if (order(test) != n) {
                problems.add(specName + "." + test.getName() + " should be @Order(" + n + "), for rule " + n + " ("
                        + title + ")");
            }
            String wanted = n + ". " + title;
            DisplayName shown = test.getAnnotation(DisplayName.class);
            if (shown == null || !shown.value().equals(wanted)) {
                problems.add(specName + "." + test.getName() + " checks rule " + n + ": display it as @DisplayName(\""
                        + wanted + "\")" + (shown == null ? "" : ", not \"" + shown.value() + "\""));
            }
            ParameterizedTest parameterized = test.getAnnotation(ParameterizedTest.class);
            if (parameterized != null && !parameterized.name().startsWith(ParameterizedTest.DISPLAY_NAME_PLACEHOLDER)) {
                problems.add(specName + "." + test.getName()
                        + " is parameterized, and the report shows its invocations'"
                        + " names: start them with the rule's, @ParameterizedTest(name = \""
                        + ParameterizedTest.DISPLAY_NAME_PLACEHOLDER + ", …\"), not \"" + parameterized.name() + "\"");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the javadoc of " + interfaceName + " and " + specName
                    + " do not match one to one:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * @return the javadoc of the type named {@code simpleName} declared in {@code source} (the last
     *         doc comment before its declaration), or "" if it has none
     */
    static String classJavadoc(String source, String simpleName) {
        Matcher declaration = Pattern.compile("(?m)^(?:public\\s+|sealed\\s+|abstract\\s+|final\\s+)*"
                        + "(?:interface|class|record|enum)\\s+" + Pattern.quote(simpleName) + "\\b")
                .matcher(source);
        if (!declaration.find()) {
            return "";
        }
        int start = source.lastIndexOf("/**", declaration.start());
        int end = start < 0 ? -1 : source.indexOf("*/", start);
        return start < 0 || end < 0 || end > declaration.start() ? "" : source.substring(start, end + 2);
    }

    /** @return the bold title of each rule of the javadoc's rule list, in order (null for a rule without one) */
    static List<String> titles(String source) {
        Matcher list = LIST.matcher(source);
        if (!list.find()) {
            return List.of();
        }
        List<String> titles = new ArrayList<>();
        Matcher item = ITEM.matcher(list.group(1));
        while (item.find()) {
            String title = item.group(1);
            titles.add(
                    title == null
                            ? null
                            : text(title)
                                    .replaceAll("\\s*\\*?\\s+", " ")
                                    .strip()
                                    .replaceFirst("\\.$", ""));
        }
        return titles;
    }

    /** @return javadoc's inline tags as their text: "x" for {@code {@code x}}, "close()" for {@code {@link #close()}} */
    private static String text(String javadoc) {
        return INLINE_TAG.matcher(javadoc).replaceAll(tag -> {
            String content = tag.group(2).strip();
            if (tag.group(1).startsWith("link")) { // {@link ref} or {@link ref label}; a ref's (…) may hold spaces
                int paren = content.indexOf('(');
                int space = content.indexOf(' ');
                int end = paren >= 0 && (space < 0 || paren < space) ? content.indexOf(')', paren) + 1 : space;
                String label = end > 0 ? content.substring(end).strip() : "";
                String ref = end > 0 ? content.substring(0, end) : content;
                content = label.isEmpty() ? ref.replaceFirst("^#", "").replace('#', '.') : label;
            }
            return Matcher.quoteReplacement(content);
        });
    }

    private static int order(Method test) {
        Order order = test.getAnnotation(Order.class);
        return order == null ? Integer.MAX_VALUE : order.value();
    }

    /** @return the exercise's interface: the one {@code learner} implements from its own package */
    static Class<?> exerciseInterface(Class<?> learner) {
        return Arrays.stream(learner.getInterfaces())
                .filter(i -> i.getPackageName().equals(learner.getPackageName()))
                .findFirst()
                .or(() -> Arrays.stream(learner.getInterfaces()).findFirst())
                .orElseThrow(() -> new IllegalArgumentException(learner.getName() + " implements no interface"));
    }
}
