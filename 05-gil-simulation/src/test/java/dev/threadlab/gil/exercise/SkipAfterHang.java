package dev.threadlab.gil.exercise;

import dev.threadlab.gil.GilScenario;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Once a hand-off has hung in one rule (a Python thread still running after
 * {@link GilScenario#PATIENCE}, or the rule's timeout), the spec's later rules are skipped in that
 * run: the hung thread is still there, and a solution that hangs everywhere would otherwise cost
 * a hang, and the leak check's grace, for every rule. Kept per run (JUnit's root store), so
 * grading one fixture does not affect the next.
 */
final class SkipAfterHang implements ExecutionCondition, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkipAfterHang.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String hungIn = context.getRoot().getStore(NAMESPACE).get("hung", String.class);
        return hungIn == null || context.getTestMethod().isEmpty()
                ? ConditionEvaluationResult.enabled("nothing has hung")
                : ConditionEvaluationResult.disabled("not graded: the hand-off hung in " + hungIn + "; fix that first");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof GilScenario.Stuck || thrown instanceof TimeoutException) {
            context.getRoot().getStore(NAMESPACE).put("hung", context.getDisplayName());
        }
        throw thrown;
    }
}
