package dev.threadlab.common.testsupport.rulefixture;

/**
 * A two-rule exercise for {@code JavadocRulesTest} whose javadoc leaves out the course's rule on
 * sleeping (it says nothing of it, here or after the list).
 *
 * <p>The rules the grading checks:
 * <ol>
 *   <li><b>Says goodbye by name.</b> {@code farewell("Ada")} is {@code "Goodbye, Ada!"}.</li>
 *   <li><b>Refuses no name.</b> {@code farewell(null)} throws {@code NullPointerException}.</li>
 * </ol>
 */
public interface Farewell {
    String farewell(String name);
}
