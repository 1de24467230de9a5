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
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface Greeting {
    String greet(String name);
}
