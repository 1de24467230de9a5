package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.rulefixture.YourGreeting;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
}
