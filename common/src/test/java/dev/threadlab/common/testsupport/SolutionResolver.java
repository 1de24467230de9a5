package dev.threadlab.common.testsupport;

import java.lang.reflect.Constructor;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Supplies {@link Solution @Solution} parameters of a {@link GradedExercise} spec. */
public final class SolutionResolver implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(Solution.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> spec = context.getRequiredTestClass();
        Class<?> implementation = Grading.implementationUnderTest(spec, context);
        Class<?> wanted = parameter.getParameter().getType();
        if (!wanted.isAssignableFrom(implementation)) {
            throw new ParameterResolutionException(implementation.getName() + " does not implement "
                    + wanted.getName() + ", the exercise's interface");
        }
        try {
            Constructor<?> constructor = implementation.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("cannot create " + implementation.getName()
                    + ": it needs a public no-argument constructor", e);
        }
    }
}
