package dev.threadlab.daemon.exercise;

import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.testsupport.ThreadGuard;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After a rule has failed, interrupts the threads it started that are still running (a saver
 * that breaks a rule often leaves its writer waiting for records nobody will send), and waits for
 * them a moment. The verdict is already given; this only spares the course's leak check
 * ({@link ThreadGuard}, which runs after this) its {@link ThreadGuard#GRACE} of waiting for
 * threads that will never end by themselves. A rule that passed is left alone: there, a thread
 * still running is the leak check's to report.
 */
final class AfterAFailedRule implements BeforeEachCallback, AfterEachCallback {

    /** How long, in all, the interrupted threads are waited for. */
    private static final Duration PATIENCE = Duration.ofSeconds(1);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AfterAFailedRule.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", AutoSaverHarness.liveThreads());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Set<Thread> before = context.getStore(NAMESPACE).remove("before", Set.class);
        if (before == null || context.getExecutionException().isEmpty()) {
            return;
        }
        List<Thread> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && !ThreadDumps.isInfrastructure(t))
                .toList();
        left.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (Thread t : left) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }
}
