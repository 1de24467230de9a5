package dev.threadlab.common.testsupport.rulefixture;

/** The learner's file of {@link Greeting}, for {@code JavadocRulesTest}. */
public final class YourGreeting implements Greeting {
    @Override
    public String greet(String name) {
        return "Hello, " + name.strip() + "!";
    }
}
