package dev.threadlab.locks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a test class that hangs on purpose, in-process with JUnit's EngineTestKit and the course's
 * ThreadGuard, and returns what its failures say: how a learner would see the same hang in their
 * own test. The fixtures are static nested classes of the tests that use them (Surefire does not
 * run nested classes by itself).
 */
final class FixtureRuns {

    private FixtureRuns() {}

    /** @return the failure message of each failed test of {@code fixture}, in order */
    static List<String> failuresOf(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .selectors(selectClass(fixture))
                .execute()
                .testEvents()
                .failed()
                .list()
                .stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .map(Throwable::getMessage)
                        .orElse("(no message)"))
                .toList();
    }
}
