package dev.threadlab.daemon.exercise;

import dev.threadlab.daemon.exercise.AutoSaverHarness.Hung;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Once one rule of a spec has hung (a call into the solution that did not return within its bound,
 * or the class's {@code @Timeout}), the spec's remaining rules are skipped, naming the rule that
 * hung: a solution that hangs everywhere costs one bound, not one per rule.
 *
 * <p>Module-local stand-in for the course-wide skip-after-first-timeout the lead is adding to
 * {@code common}; delete it once that is merged.
 */
final class SkipRulesAfterAHang implements TestExecutionExceptionHandler, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkipRulesAfterAHang.class);

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        String message = String.valueOf(thrown.getMessage());
        if (thrown instanceof Hung || thrown instanceof TimeoutException
                || message.startsWith("hang:") || message.startsWith("deadlock:")) {
            classContext(context).getStore(NAMESPACE).put("hung",
                    context.getDisplayName() + " hung: " + message.lines().findFirst().orElse(""));
        }
        throw thrown;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String hung = context.getTestMethod().isEmpty() ? null
                : classContext(context).getStore(NAMESPACE).get("hung", String.class);
        return hung == null ? ConditionEvaluationResult.enabled("no rule has hung")
                : ConditionEvaluationResult.disabled("not run, because an earlier rule hung: " + hung);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
