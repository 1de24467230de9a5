package dev.threadlab.common.testsupport.rulefixture;

/** The learner's file of {@link Farewell}, for {@code JavadocRulesTest}. */
public final class YourFarewell implements Farewell {
    @Override
    public String farewell(String name) {
        return "Goodbye, " + name.strip() + "!";
    }
}
