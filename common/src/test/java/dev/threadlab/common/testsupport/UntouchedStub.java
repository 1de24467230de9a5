package dev.threadlab.common.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The untouched {@code Your…} stub of an exercise declares each method as its interface does,
 * {@code throws} included, so a learner never has to fix a signature before starting (a stub
 * without the interface's {@code throws InterruptedException} leaves the learner's first
 * {@code join()} uncompilable). Only the stub as shipped is checked: once a learner has replaced a
 * {@code throw new NotImplementedYet(…)}, it is theirs.
 *
 * <p>Each module's grading self-check calls {@link #assertDeclaresWhatItsInterfaceDeclares(Class)}
 * for each spec.
 */
public final class UntouchedStub {

    private static final Pattern STILL_TO_DO = Pattern.compile(Pattern.quote("throw new NotImplementedYet("));

    private UntouchedStub() {}

    /**
     * Checks the learner's class of {@code spec}'s exercise against its interface, reading the
     * class's source from the module's {@code src/main/java}.
     *
     * @throws AssertionError naming each method whose {@code throws} differ, and the fix
     * @throws org.opentest4j.TestAbortedException if the stub has been worked on (not every
     *                                             method still throws {@code NotImplementedYet})
     */
    public static void assertDeclaresWhatItsInterfaceDeclares(Class<?> spec) {
        assertDeclaresWhatItsInterfaceDeclares(spec, Path.of("src", "main", "java"));
    }

    /** As {@link #assertDeclaresWhatItsInterfaceDeclares(Class)}, with the stub's source read from {@code sourceRoot}. */
    public static void assertDeclaresWhatItsInterfaceDeclares(Class<?> spec, Path sourceRoot) {
        Class<?> stub = Grading.findAnnotation(spec).learner();
        Class<?> api = JavadocRules.exerciseInterface(stub);
        List<Method> declared = Arrays.stream(api.getDeclaredMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .toList();
        Path source = sourceRoot.resolve(stub.getName().replace('.', '/') + ".java");
        long stillToDo;
        try {
            stillToDo = STILL_TO_DO.matcher(Files.readString(source)).results().count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stub.getSimpleName() + " at " + source, e);
        }
        Assumptions.assumeTrue(
                stillToDo == declared.size(),
                stub.getSimpleName() + " has been worked on: only an untouched stub is checked");

        List<String> problems = new ArrayList<>();
        for (Method wanted : declared) {
            Method written;
            try {
                written = stub.getMethod(wanted.getName(), wanted.getParameterTypes());
            } catch (NoSuchMethodException e) {
                throw new AssertionError(
                        stub.getSimpleName() + " has no public " + wanted.getName() + ": a class" + " implementing "
                                + api.getSimpleName() + " always has",
                        e);
            }
            if (!Set.of(written.getExceptionTypes()).equals(Set.of(wanted.getExceptionTypes()))) {
                problems.add(api.getSimpleName() + "." + wanted.getName() + " throws " + names(wanted) + ", but "
                        + stub.getSimpleName() + "'s stub declares " + names(written)
                        + ": give the stub the interface's signature");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private static List<String> names(Method method) {
        return Arrays.stream(method.getExceptionTypes())
                .map(Class::getSimpleName)
                .toList();
    }
}
