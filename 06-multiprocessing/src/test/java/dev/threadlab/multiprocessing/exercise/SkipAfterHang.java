package dev.threadlab.multiprocessing.exercise;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Once a map has hung in one rule ({@link MapCall.Hung}), the spec's later rules are skipped in
 * that run: the hung map's thread is still there, and a solution that hangs everywhere would
 * otherwise cost a hang, and the leak check's grace, for every rule. Kept per run (JUnit's root
 * store), so grading one fixture does not affect the next.
 */
final class SkipAfterHang implements ExecutionCondition, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkipAfterHang.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String hungIn = context.getRoot().getStore(NAMESPACE).get("hung", String.class);
        return hungIn == null || context.getTestMethod().isEmpty()
                ? ConditionEvaluationResult.enabled("no map has hung")
                : ConditionEvaluationResult.disabled("not graded: map hung in " + hungIn + "; fix that first");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof MapCall.Hung) {
            context.getRoot().getStore(NAMESPACE).put("hung", context.getDisplayName());
        }
        throw thrown;
    }
}
