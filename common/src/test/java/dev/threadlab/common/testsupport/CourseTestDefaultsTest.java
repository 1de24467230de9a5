package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The defaults every module's tests rely on are in force: a timeout for every test (so no test
 * class needs its own {@code @Timeout}), run in a separate thread, and auto-detected extensions
 * (so ThreadGuard guards every test). They come from common's {@code junit-platform.properties}.
 */
class CourseTestDefaultsTest {

    private final AtomicReference<ExtensionContext> seen = new AtomicReference<>();

    /** Hands this test the configuration JUnit actually runs it with. */
    @RegisterExtension
    final BeforeEachCallback configuration = seen::set;

    @Test
    void everyTestHasATimeoutRunInASeparateThreadAndIsGuarded() {
        ExtensionContext context = seen.get();
        assertThat(context.getConfigurationParameter("junit.jupiter.execution.timeout.default"))
                .as("the course-wide default timeout")
                .hasValue("60 s");
        assertThat(context.getConfigurationParameter("junit.jupiter.execution.timeout.thread.mode.default"))
                .hasValue("SEPARATE_THREAD");
        assertThat(context.getConfigurationParameter("junit.jupiter.extensions.autodetection.enabled"))
                .as("ThreadGuard is registered by auto-detection")
                .hasValue("true");
        assertThat(Thread.currentThread().getName())
                .as("the test body runs in JUnit's timeout thread")
                .startsWith(ThreadDumps.TEST_THREAD_PREFIX);
    }
}
