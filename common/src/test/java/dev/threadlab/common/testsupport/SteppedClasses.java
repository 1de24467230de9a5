package dev.threadlab.common.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The machinery of a forced interleaving, as a model checker makes one: a solution's classes loaded
 * again with a call to a module's {@code Steps.step()} before each of their steps (each field or
 * array element read or written, each lock taken or released, each method call), so that the
 * module's grading can pause a chosen thread before a chosen step. What a step does (pause, count,
 * let go) is the module's; 04.3's and 05.1's gradings use it. Written with the ASM that byte-buddy
 * ships ({@code net.bytebuddy.jar.asm}).
 */
public final class SteppedClasses {

    private SteppedClasses() {}

    /**
     * {@code solutionClass} loaded again, with a call to {@code steps.step()} (a public static
     * method without arguments) before each step of its code and of the classes beside it (same
     * package, same code base: a superclass, a helper, its nested classes). Public interfaces, and
     * everything else, are shared with the grading.
     */
    public static Class<?> reloaded(Class<?> solutionClass, Class<?> steps) throws ClassNotFoundException {
        String stepOwner = steps.getName().replace('.', '/');
        return reloaded(solutionClass, original -> withSteps(original, stepOwner));
    }

    /**
     * {@code solutionClass} loaded again, as {@link #reloaded(Class, Class)} does, but with the
     * grading's own {@code rewrite} of each class file instead of steps (01.2's grading routes the
     * solution's changes of a plain collection through a watch, say).
     */
    public static Class<?> reloaded(Class<?> solutionClass, UnaryOperator<byte[]> rewrite)
            throws ClassNotFoundException {
        return reloaded(solutionClass, rewrite, (name, access) -> !publicInterface(access));
    }

    /**
     * As {@link #reloaded(Class, UnaryOperator)}, loading again only the classes beside the solution
     * that {@code loadAgain} picks, by name and access flags; the others are shared with the
     * grading (02's timed joins keep the exercise's public result types shared, say).
     */
    public static Class<?> reloaded(
            Class<?> solutionClass, UnaryOperator<byte[]> rewrite, BiPredicate<String, Integer> loadAgain)
            throws ClassNotFoundException {
        return Class.forName(solutionClass.getName(), true, new SteppingLoader(solutionClass, rewrite, loadAgain));
    }

    /** A public interface (the exercise's, say) is the grading's too; a package-private one goes with the solution. */
    private static boolean publicInterface(int access) {
        return (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_PUBLIC) != 0;
    }

    /** Child-first for the solution's package and code base; the rest from the solution's own loader. */
    private static final class SteppingLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final String packagePrefix;
        private final String codeBase;

        private final UnaryOperator<byte[]> rewrite;
        private final BiPredicate<String, Integer> loadAgain;

        SteppingLoader(Class<?> solutionClass, UnaryOperator<byte[]> rewrite, BiPredicate<String, Integer> loadAgain) {
            super("grading: steps of " + solutionClass.getSimpleName(), solutionClass.getClassLoader());
            this.packagePrefix = solutionClass.getPackageName() + ".";
            this.codeBase = codeBase(solutionClass.getName(), solutionClass.getClassLoader());
            this.rewrite = rewrite;
            this.loadAgain = loadAgain;
        }

        private static String codeBase(String className, ClassLoader loader) {
            String resource = className.replace('.', '/') + ".class";
            URL url = loader.getResource(resource);
            if (url == null) {
                return null;
            }
            String text = url.toString();
            return text.substring(0, text.length() - resource.length());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && besideTheSolution(name)) {
                    byte[] original = bytesOf(name);
                    if (original != null && loadAgain.test(name, new ClassReader(original).getAccess())) {
                        byte[] stepped = rewrite.apply(original);
                        loaded = defineClass(name, stepped, 0, stepped.length);
                    }
                }
                if (loaded == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private boolean besideTheSolution(String name) {
            return codeBase != null
                    && name.startsWith(packagePrefix)
                    && name.indexOf('.', packagePrefix.length()) < 0
                    && codeBase.equals(codeBase(name, getParent()));
        }

        private byte[] bytesOf(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    /** The class with {@code step()} called before each field or array access, lock, unlock and call. */
    static byte[] withSteps(byte[] original, String stepOwner) {
        return ClassFiles.rewritten(original, (name, method) -> {
            if (name.equals("<init>") || name.equals("<clinit>")) {
                return method; // a solution under construction is not shared yet
            }
            return new MethodVisitor(Opcodes.ASM9, method) {
                private void step() {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, stepOwner, "step", "()V", false);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String type) {
                    step();
                    super.visitFieldInsn(opcode, owner, field, type);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String called, String type, boolean isInterface) {
                    step();
                    super.visitMethodInsn(opcode, owner, called, type, isInterface);
                }

                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.MONITORENTER
                            || opcode == Opcodes.MONITOREXIT
                            || (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD)
                            || (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE)) {
                        step(); // an array element is shared state too (an int[] index, say)
                    }
                    super.visitInsn(opcode);
                }
                // an invokedynamic (it makes a lambda) gets no step
            };
        });
    }
}
