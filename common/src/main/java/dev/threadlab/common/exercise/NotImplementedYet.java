package dev.threadlab.common.exercise;

/**
 * Thrown by an exercise stub that the learner has not written yet. The grading report shows its
 * message, {@code "not implemented yet: <what to do>"}, instead of a stack trace or a timeout.
 *
 * <p>Every stub in the course throws this from each method the learner must write, so that the
 * untouched exercise fails fast and says what to do; the default build proves it does.
 */
public final class NotImplementedYet extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    /** The prefix every grading message starts with; the report and the self-checks look for it. */
    public static final String PREFIX = "not implemented yet: ";

    /** @param whatToDo the task, in one sentence, as the learner should read it */
    public NotImplementedYet(String whatToDo) {
        super(PREFIX + whatToDo);
    }
}
