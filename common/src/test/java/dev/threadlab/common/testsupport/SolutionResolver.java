package dev.threadlab.common.testsupport;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The extension every {@link GradedExercise} spec runs with:
 *
 * <ul>
 *   <li>supplies {@link Solution @Solution} parameters: a fresh instance of what this run grades;</li>
 *   <li>turns "not implemented yet" into an aborted test (reported as <em>not started</em>), so an
 *       untouched exercise leaves the build green;</li>
 *   <li>after one rule of a spec hangs (hits its timeout, or its harness throws {@link SolutionHung}),
 *       skips the spec's remaining rules: a
 *       solution that hangs everywhere gets its verdict after one timeout, not one per rule, and the
 *       first hang's diagnosis is the one reported.</li>
 * </ul>
 */
public final class SolutionResolver implements ParameterResolver, TestExecutionExceptionHandler, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SolutionResolver.class);
    private static final String HUNG = "rule that hung";

    /** Per graded class: the course rule it breaks, or "" (ArchUnit reads class files: once is enough). */
    private static final java.util.Map<Class<?>, String> BROKEN_COURSE_RULES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Start of the reason given for each rule skipped after a hang. */
    public static final String SKIPPED_AFTER_HANG = "not run: an earlier rule hung";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(Solution.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> spec = context.getRequiredTestClass();
        Class<?> wanted = parameter.getParameter().getType();
        Class<?> implementation = Grading.implementationUnderTest(spec, context).orElse(null);
        if (implementation == null) {
            return untouchedStub(wanted, Grading.findAnnotation(spec).learner());
        }
        if (!wanted.isAssignableFrom(implementation)) {
            throw new ParameterResolutionException(implementation.getName() + " does not implement " + wanted.getName()
                    + ", the exercise's interface");
        }
        String broken = BROKEN_COURSE_RULES.computeIfAbsent(
                implementation, c -> CourseRules.brokenBySolution(c).orElse(""));
        if (!broken.isEmpty()) {
            throw new AssertionError(broken);
        }
        try {
            Constructor<?> constructor = implementation.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException(
                    "cannot create " + implementation.getName() + ": it needs a public no-argument constructor", e);
        }
    }

    /** The learner's class as shipped: every abstract method of the interface throws NotImplementedYet. */
    private static Object untouchedStub(Class<?> exercise, Class<?> learner) {
        if (!exercise.isInterface()) {
            throw new ParameterResolutionException(
                    "an untouched stub can only be made for an interface, not " + exercise.getName());
        }
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "toString" -> learner.getSimpleName() + " (untouched stub)";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> {
                if (method.isDefault()) {
                    yield InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new NotImplementedYet("in " + learner.getSimpleName() + "." + method.getName()
                        + " (an untouched stub made by the grading self-check)");
            }
        };
        return Proxy.newProxyInstance(exercise.getClassLoader(), new Class<?>[] {exercise}, handler);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        // A course rule broken by the graded class is raised while resolving the parameter: report it as itself.
        Throwable throwable =
                thrown instanceof ParameterResolutionException && thrown.getCause() instanceof AssertionError
                        ? thrown.getCause()
                        : thrown;
        String message = Grading.messageOf(throwable);
        int stub = message.indexOf(NotImplementedYet.PREFIX);
        if (stub >= 0) {
            throw new TestAbortedException(
                    message.substring(stub).lines().findFirst().orElse("").strip(), throwable);
        }
        if (SolutionHung.isHang(throwable)) {
            specOf(context).getStore(NAMESPACE).put(HUNG, context.getDisplayName());
        }
        throw throwable;
    }

    /** @return the spec's own context: the nearest ancestor that is not a rule nor a parameterized rule's case */
    private static ExtensionContext specOf(ExtensionContext context) {
        ExtensionContext spec = context;
        while (spec.getTestMethod().isPresent() && spec.getParent().isPresent()) {
            spec = spec.getParent().get();
        }
        return spec;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("a spec, not a rule");
        }
        if (context.getParent().flatMap(ExtensionContext::getTestMethod).isEmpty()
                && AnnotationSupport.isAnnotated(context.getTestMethod(), TestTemplate.class)) {
            // A parameterized rule: its cases are decided one by one, so that each is reported
            // (as not run, after a hang) and the count of rules never depends on which hung first.
            return ConditionEvaluationResult.enabled("a parameterized rule: each case decides");
        }
        String hung = specOf(context).getStore(NAMESPACE).get(HUNG, String.class);
        return hung == null
                ? ConditionEvaluationResult.enabled("no rule has hung")
                : ConditionEvaluationResult.disabled(
                        SKIPPED_AFTER_HANG + " (" + hung + "); fix that one first, then grade again");
    }
}
