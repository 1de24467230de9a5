package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.rulefixture.YourFarewell;
import dev.threadlab.common.testsupport.rulefixture.YourGreeting;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JavadocRules} accepts a spec with one test per javadoc rule, in order and under the
 * rule's title, and names each way a spec can drift from its javadoc. The specs below are nested,
 * so the build never runs them; only their annotations are read.
 */
class JavadocRulesTest {

    private static final Path SOURCES = Path.of("src", "test", "java");

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneTestPerRule {
        @Test
        @Order(1)
        @DisplayName("1. Greets by name")
        void greetsByName() {}

        @Test
        @Order(2)
        @DisplayName("2. Refuses no name")
        void refusesNoName() {}
    }

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ATestMore {
        @Test
        @Order(1)
        @DisplayName("1. Greets by name")
        void greetsByName() {}

        @Test
        @Order(2)
        @DisplayName("2. Refuses no name")
        void refusesNoName() {}

        @Test
        @Order(3)
        @DisplayName("3. Trims the name")
        void trimsTheName() {}
    }

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OutOfOrderAndRenamed {
        @Test
        @Order(1)
        @DisplayName("1. Refuses no name")
        void refusesNoName() {}

        @Test
        @Order(2)
        void greetsByName() {}
    }

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class AParameterizedRule {
        @Test
        @Order(1)
        @DisplayName("1. Greets by name")
        void greetsByName() {}

        @ParameterizedTest(name = "{displayName}, name \"{0}\"")
        @ValueSource(strings = {"", " "})
        @Order(2)
        @DisplayName("2. Refuses no name")
        void refusesNoName(String name) {}
    }

    @GradedExercise(value = "00.1 greet", learner = YourGreeting.class, reference = YourGreeting.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class AParameterizedRuleShownWithoutItsTitle {
        @Test
        @Order(1)
        @DisplayName("1. Greets by name")
        void greetsByName() {}

        @ParameterizedTest(name = "name \"{0}\"")
        @ValueSource(strings = {"", " "})
        @Order(2)
        @DisplayName("2. Refuses no name")
        void refusesNoName(String name) {}
    }

    @GradedExercise(value = "00.3 farewell", learner = YourFarewell.class, reference = YourFarewell.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneTestPerRuleOfAnInterfaceSilentOnSleeping {
        @Test
        @Order(1)
        @DisplayName("1. Says goodbye by name")
        void saysGoodbyeByName() {}

        @Test
        @Order(2)
        @DisplayName("2. Refuses no name")
        void refusesNoName() {}
    }

    @Test
    void aSpecWithOneTestPerRuleInOrderAndUnderItsTitlePasses() {
        assertThatCode(() -> JavadocRules.assertOneTestPerRule(OneTestPerRule.class, SOURCES))
                .doesNotThrowAnyException();
    }

    @Test
    void aSpecWithMoreTestsThanTheJavadocHasRulesFails() {
        assertThatThrownBy(() -> JavadocRules.assertOneTestPerRule(ATestMore.class, SOURCES))
                .hasMessageContaining("Greeting's javadoc lists 2 rules, but ATestMore has 3 @Test methods");
    }

    @Test
    void aSpecWhoseTestsAreNotShownUnderTheirRulesTitlesFails() {
        assertThatThrownBy(() -> JavadocRules.assertOneTestPerRule(OutOfOrderAndRenamed.class, SOURCES))
                .hasMessageContaining("OutOfOrderAndRenamed.refusesNoName checks rule 1: display it as"
                        + " @DisplayName(\"1. Greets by name\"), not \"1. Refuses no name\"")
                .hasMessageContaining("OutOfOrderAndRenamed.greetsByName checks rule 2: display it as"
                        + " @DisplayName(\"2. Refuses no name\")");
    }

    @Test
    void aParameterizedRuleCountsAsOneAndItsInvocationsMustCarryTheTitle() {
        assertThatCode(() -> JavadocRules.assertOneTestPerRule(AParameterizedRule.class, SOURCES))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () -> JavadocRules.assertOneTestPerRule(AParameterizedRuleShownWithoutItsTitle.class, SOURCES))
                .hasMessageContaining("AParameterizedRuleShownWithoutItsTitle.refusesNoName is parameterized, and the"
                        + " report shows its invocations' names: start them with the rule's,"
                        + " @ParameterizedTest(name = \"{displayName}, …\"), not \"name \"{0}\"\"");
    }

    @Test
    void anInterfaceWhoseJavadocDoesNotMentionThreadSleepFails() {
        assertThatThrownBy(() ->
                        JavadocRules.assertOneTestPerRule(OneTestPerRuleOfAnInterfaceSilentOnSleeping.class, SOURCES))
                .hasMessageContaining("the javadoc of Farewell and OneTestPerRuleOfAnInterfaceSilentOnSleeping do not"
                        + " match one to one")
                .hasMessageContaining("Farewell's javadoc does not mention Thread.sleep: the grading refuses a class"
                        + " that calls it before any rule, so say so where the learner reads the rules, in a paragraph"
                        + " after the list: \"<p>Like every exercise: no {@code Thread.sleep}")
                .hasMessageNotContaining("rules, but"); // its rules and tests match: the sentence is all it misses
    }

    @Test
    void theClassJavadocIsTheDocCommentRightBeforeTheDeclaration() {
        String source = """
                package x;

                import java.util.List;

                /** The exercise. Like every exercise: no {@code Thread.sleep}. */
                @SuppressWarnings("unused")
                public interface Chore {
                    /** A method's javadoc is not the class's. */
                    void doIt();
                }
                """;

        assertThat(JavadocRules.classJavadoc(source, "Chore"))
                .isEqualTo("/** The exercise. Like every exercise: no {@code Thread.sleep}. */");
        assertThat(JavadocRules.classJavadoc("public interface Bare {}", "Bare"))
                .isEmpty();
    }

    @Test
    void aTitleReadsInlineTagsAsTheirText() {
        String javadoc = """
                /**
                 * The rules:
                 * <ol>
                 *   <li><b>{@code close()} removes what {@link #open(Path, int) open} added.</b> More.</li>
                 *   <li><b>{@link #start} returns, and {@link Account#id()} is
                 *       kept</b>, always.</li>
                 * </ol>
                 */""";

        assertThat(JavadocRules.titles(javadoc))
                .containsExactly("close() removes what open added", "start returns, and Account.id() is kept");
    }
}
