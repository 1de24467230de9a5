package dev.threadlab.common.testsupport;

import java.util.concurrent.TimeoutException;

/**
 * Thrown by a spec's harness when a call into the solution did not return within its bound (and
 * said where the solution's thread was). Like a JUnit timeout, it counts as a hang: the spec's
 * remaining rules are skipped ({@link SolutionResolver}), the leak check does not wait out its
 * grace for the hung threads ({@link ThreadGuard}), and the report shows it as "A rule hung".
 */
public class SolutionHung extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** The prefix of every hang's message, as the report and {@link Grading.Outcome#hung()} read it. */
    public static final String PREFIX = "hang: ";

    /** @param message what did not return, within what bound, and where its thread was */
    public SolutionHung(String message) {
        super(message.startsWith(PREFIX) ? message : PREFIX + message);
    }

    /** @return true if {@code failure} or a cause is a hang: this type, or JUnit's timeout */
    public static boolean isHang(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SolutionHung || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
