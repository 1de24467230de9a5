package dev.threadlab.gil.cli;

import dev.threadlab.gil.exercise.HandOff;
import dev.threadlab.gil.exercise.YourHandOff;
import dev.threadlab.gil.solution.ReferenceHandOff;
import java.util.function.Supplier;

/**
 * Which drop-request hand-off a demo or the benchmark runs on, as the course-wide option
 * {@code --solution reference|yours} ({@link SolutionOption}) chooses. The module's one choice
 * point: no other main class may name the {@code solution} package (an architecture test checks
 * it), so every demo can run the learner's code.
 */
public enum HandOffChoice {
    /** CPython's, {@link ReferenceHandOff}. */
    REFERENCE(ReferenceHandOff::new),
    /** The exercise, {@link YourHandOff}: watch your own solution run. */
    YOURS(YourHandOff::new);

    private final Supplier<HandOff> factory;

    HandOffChoice(Supplier<HandOff> factory) {
        this.factory = factory;
    }

    /** @return a new hand-off of this choice */
    public HandOff create() {
        return factory.get();
    }
}
