package dev.threadlab.common.testsupport.rulefixture;

/**
 * A two-rule exercise for {@code JavadocRulesTest}.
 *
 * <p>The rules the grading checks:
 * <ol>
 *   <li><b>Greets by name.</b> {@code greet("Ada")} is {@code "Hello, Ada!"}.</li>
 *   <li><b>Refuses
 *       no name.</b> {@code greet(null)} throws {@code NullPointerException}.</li>
 * </ol>
 */
public interface Greeting {
    String greet(String name);
}
