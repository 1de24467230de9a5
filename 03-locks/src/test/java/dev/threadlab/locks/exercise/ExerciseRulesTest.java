package dev.threadlab.locks.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.GradedExercise;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a learner reads and what the grading checks agree, for every exercise of the module: the
 * interface's javadoc lists the rules the grading checks (the {@code <li>}s of the list after
 * "rules the grading checks"), one per test of the spec, in the order the spec runs them, each
 * rule naming its test in words ("A transfer moves the amount …" for
 * {@code aTransferMovesTheAmount…}, which the runner shows as "a transfer moves the amount …").
 * And the untouched {@code Your…} stub declares each method as its interface does, {@code throws}
 * included, so a learner never has to fix a signature before starting.
 */
class ExerciseRulesTest {

    private static final Path SOURCES = Path.of("src/main/java");

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {SafeCounterSpec.class, TellerSpec.class})
    void theInterfaceListsOneRulePerTestOfItsSpecInTheSameOrder(Class<?> spec) throws IOException {
        Class<?> api = exerciseInterface(spec);
        assertOneRulePerTest(
                api.getSimpleName(),
                Files.readString(source(api)),
                spec.getSimpleName(),
                testsInRunOrder(spec).stream().map(Method::getName).toList());
    }

    /** The check proves itself on the mismatch a learner met: four rules in the javadoc, three tests. */
    @Test
    void aJavadocListingMoreRulesThanTheSpecHasTestsIsCaught() {
        String javadoc = """
                /**
                 * <p>The rules the grading checks:
                 * <ol>
                 *   <li><b>Start returns at once</b>.</li>
                 *   <li><b>It beats</b>, then sleeps.</li>
                 *   <li><b>Every thread is a daemon</b>.</li>
                 *   <li>Once the loop has ended, none of its threads is still running.</li>
                 * </ol>
                 */""";
        List<String> tests = List.of("startReturnsAtOnce", "itBeats", "everyThreadIsADaemon");

        assertThatThrownBy(() -> assertOneRulePerTest("Heartbeat", javadoc, "HeartbeatSpec", tests))
                .hasMessageStartingWith("Heartbeat's javadoc lists 4 rules the grading checks, but HeartbeatSpec has"
                        + " 3 tests (startReturnsAtOnce, itBeats, everyThreadIsADaemon)");
        assertThatThrownBy(() -> assertOneRulePerTest(
                        "Heartbeat",
                        javadoc,
                        "HeartbeatSpec",
                        List.of("itBeats", "startReturnsAtOnce", "everyThreadIsADaemon", "x")))
                .hasMessageStartingWith("rule 1 of Heartbeat's javadoc should name its test, itBeats, in words");
    }

    /**
     * @throws AssertionError unless {@code javadoc} lists as many rules the grading checks as there
     *                        are {@code tests}, rule i naming test i in words
     */
    static void assertOneRulePerTest(String api, String javadoc, String spec, List<String> tests) {
        List<String> rules = rulesIn(api, javadoc);
        if (rules.size() != tests.size()) {
            throw new AssertionError(api + "'s javadoc lists " + rules.size() + " rules the grading checks, but "
                    + spec + " has " + tests.size() + " tests (" + String.join(", ", tests) + "): state each rule"
                    + " the spec checks as one <li>, one test each, in the same order (split or merge statements;"
                    + " never drop a rule the spec checks)");
        }
        for (int i = 0; i < rules.size(); i++) {
            String words = words(tests.get(i));
            if (!plain(rules.get(i)).contains(words)) {
                throw new AssertionError("rule " + (i + 1) + " of " + api + "'s javadoc should name its test, "
                        + tests.get(i) + ", in words (\"" + words + "\"), so that the rule the runner names is the"
                        + " rule the learner reads; it says: " + plain(rules.get(i)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {SafeCounterSpec.class, TellerSpec.class})
    void theUntouchedStubDeclaresWhatItsInterfaceDeclares(Class<?> spec) throws IOException, NoSuchMethodException {
        Class<?> stub = spec.getAnnotation(GradedExercise.class).learner();
        Class<?> api = exerciseInterface(spec);
        Method[] declared = api.getDeclaredMethods();
        long stillToDo = count(Files.readString(source(stub)), "throw new NotImplementedYet(");
        Assumptions.assumeTrue(
                stillToDo == declared.length,
                stub.getSimpleName() + " has been worked on: only an untouched stub is checked");

        for (Method wanted : declared) {
            Method written = stub.getMethod(wanted.getName(), wanted.getParameterTypes());
            assertThat(Set.of(written.getExceptionTypes()))
                    .as(
                            "%s.%s throws %s, but %s's stub declares %s: give the stub the interface's signature",
                            api.getSimpleName(),
                            wanted.getName(),
                            Arrays.toString(wanted.getExceptionTypes()),
                            stub.getSimpleName(),
                            Arrays.toString(written.getExceptionTypes()))
                    .isEqualTo(Set.of(wanted.getExceptionTypes()));
        }
    }

    @Test
    void wordsAreTheRunnersRuleNames() {
        assertThat(words("anOverdraftIsRefusedWithAClearExceptionAndNothingMoves"))
                .isEqualTo("an overdraft is refused with a clear exception and nothing moves");
        assertThat(plain("<b>An audit sees one instant, even while</b> {@code transfers}\n *   run"))
                .isEqualTo("an audit sees one instant even while transfers run");
    }

    /** The interface the exercise's {@code Your…} class implements. */
    private static Class<?> exerciseInterface(Class<?> spec) {
        return spec.getAnnotation(GradedExercise.class).learner().getInterfaces()[0];
    }

    private static Path source(Class<?> type) {
        return SOURCES.resolve(type.getName().replace('.', '/') + ".java");
    }

    /** The raw text of each {@code <li>} of the list that follows "rules the grading checks". */
    private static List<String> rulesIn(String api, String javadoc) {
        int heading = javadoc.indexOf("rules the grading checks");
        int open = javadoc.indexOf("<ol>", Math.max(0, heading));
        int close = javadoc.indexOf("</ol>", Math.max(0, open));
        if (heading < 0 || open < 0 || close < 0) {
            throw new AssertionError(
                    api + "'s javadoc should say \"The rules the grading checks\", then list them" + " in an <ol>");
        }
        String list = javadoc.substring(open + "<ol>".length(), close);
        if (list.contains("<ol>") || list.contains("<ul>")) {
            throw new AssertionError(api + "'s list of rules should be one list, not nested");
        }
        return Arrays.stream(list.split("<li>")).skip(1).toList();
    }

    /** The spec's tests, in the order JUnit runs them: {@code @Order}, which every test must carry. */
    private static List<Method> testsInRunOrder(Class<?> spec) {
        TestMethodOrder order = spec.getAnnotation(TestMethodOrder.class);
        assertThat(order != null && order.value() == MethodOrderer.OrderAnnotation.class)
                .as(
                        "%s should run its rules in the javadoc's order: @TestMethodOrder(MethodOrderer.OrderAnnotation"
                                + ".class), and @Order on every test",
                        spec.getSimpleName())
                .isTrue();
        List<Method> tests = Arrays.stream(spec.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class))
                .toList();
        assertThat(tests)
                .as("every test of %s needs an @Order", spec.getSimpleName())
                .allMatch(m -> m.isAnnotationPresent(Order.class));
        return tests.stream()
                .sorted(Comparator.comparingInt(
                        m -> m.getAnnotation(Order.class).value()))
                .toList();
    }

    /** "a transfer moves the amount" for "aTransferMovesTheAmount", as the runner names a rule. */
    static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
    }

    /** Javadoc as words: tags and the comment's stars out, {@code x} as x, lower case, no punctuation. */
    static String plain(String javadoc) {
        Matcher inline = Pattern.compile("\\{@\\w+\\s+([^}]*)}").matcher(javadoc);
        String text = inline.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        return text.replaceAll("(?m)^\\s*\\*", " ")
                .replaceAll("<[^>]+>", " ")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", " ")
                .strip();
    }

    private static long count(String text, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
