package dev.threadlab.common.testsupport;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a test class that fails or hangs on purpose, in-process with JUnit's EngineTestKit and the
 * course's extensions (ThreadGuard, the hang dump), and returns what its failures say: what a
 * learner would see for the same mistake in their own test. The fixtures are static nested classes
 * of the tests that use them (Surefire does not run nested classes by itself).
 */
public final class FixtureRuns {

    private FixtureRuns() {}

    /** @return the failure message of each failed test of {@code fixture}, in order */
    public static List<String> failuresOf(Class<?> fixture) {
        return failuresOf(fixture, Map.of());
    }

    /**
     * @param configuration more JUnit configuration parameters, e.g. {@link ThreadGuard#GRACE_PROPERTY}
     * @return the failure message of each failed test of {@code fixture}, in order, each followed by
     *     the messages of what it suppressed ("\nsuppressed: …")
     */
    public static List<String> failuresOf(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .configurationParameters(configuration)
                .selectors(selectClass(fixture))
                .execute()
                .testEvents()
                .failed()
                .list()
                .stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .map(FixtureRuns::message)
                        .orElse("(no message)"))
                .toList();
    }

    private static String message(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable suppressed : failure.getSuppressed()) {
            text.append("\nsuppressed: ").append(suppressed.getMessage());
        }
        return text.toString();
    }
}
