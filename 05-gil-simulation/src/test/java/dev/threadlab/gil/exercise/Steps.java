package dev.threadlab.gil.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.function.Predicate;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * A forced interleaving, as a model checker makes one (04-daemon's {@code Steps}, for 05.1): a
 * solution's class is loaded again with a call to {@link #step()} before each of its steps (each
 * field or array element read or written, each lock taken or released, each method call, in every
 * method of the class and of the classes beside it). The first of runAll's threads to take a step,
 * "A", runs alone (the others wait at their first step) until it is paused before its n-th step;
 * then the others run until they can move no further (they wait, have ended, or have taken
 * {@link #BUDGET} steps meanwhile: they spin), and A goes on. Nothing depends on timing: a paused
 * thread does nothing until it is let go, whatever the load.
 *
 * <p>{@link #step()} is public because the re-loaded classes call it; the rest is the grading's.
 */
@ThreadSafe
public final class Steps {

    /** Where the interleaving is. */
    enum Phase {
        /** A runs alone, up to its n-th step. */
        A_ALONE,
        /** A is paused before its n-th step; the others run. */
        A_PAUSED,
        /** Every thread runs freely. */
        FREE
    }

    /** The steps the other threads may take while A is paused before they count as spinning: then A goes on. */
    static final int BUDGET = 10_000;

    private static final Object LOCK = new Object();

    /** Which threads are runAll's (the grading's own threads take no part); null while nothing is arranged. */
    private static volatile Predicate<Thread> arranged;

    @GuardedBy("LOCK")
    private static Thread first;

    @GuardedBy("LOCK")
    private static int taken;

    @GuardedBy("LOCK")
    private static int othersTaken;

    @GuardedBy("LOCK")
    private static int pauseBefore;

    @GuardedBy("LOCK")
    private static Phase phase = Phase.FREE;

    private Steps() {}

    /** Called by the re-loaded classes before each step: keeps to the interleaving arranged. */
    public static void step() {
        Predicate<Thread> solutions = arranged;
        Thread me = Thread.currentThread();
        if (solutions == null || !solutions.test(me)) {
            return;
        }
        synchronized (LOCK) {
            if (first == null && phase == Phase.A_ALONE) {
                first = me;
            }
            boolean interrupted = false;
            if (me == first) {
                if (phase != Phase.A_ALONE || ++taken < pauseBefore) {
                    return;
                }
                phase = Phase.A_PAUSED;
                LOCK.notifyAll();
                while (phase == Phase.A_PAUSED) {
                    try {
                        LOCK.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // kept for the solution's code, once let go
                    }
                }
            } else {
                while (phase == Phase.A_ALONE) {
                    try {
                        LOCK.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (phase == Phase.A_PAUSED && ++othersTaken > BUDGET) {
                    phase = Phase.FREE; // the others spin, waiting for A: let it go on
                    LOCK.notifyAll();
                }
            }
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** Arranges the interleaving for the next run: runAll's threads are those {@code solutions} accepts. */
    static void arrange(int n, Predicate<Thread> solutions) {
        synchronized (LOCK) {
            first = null;
            taken = 0;
            othersTaken = 0;
            pauseBefore = n;
            phase = Phase.A_ALONE;
            arranged = solutions;
        }
    }

    /** @return the thread that runs first and is paused, or null while none has taken a step */
    static Thread first() {
        synchronized (LOCK) {
            return first;
        }
    }

    /** @return where the interleaving is */
    static Phase phase() {
        synchronized (LOCK) {
            return phase;
        }
    }

    /** Lets every thread run freely (A goes on, the others too). */
    static void free() {
        synchronized (LOCK) {
            phase = Phase.FREE;
            LOCK.notifyAll();
        }
    }

    /** Ends the arrangement: no thread is counted or held any more. */
    static void disarm() {
        free();
        arranged = null;
    }

    /**
     * {@code solutionClass} loaded again, with a call to {@link #step()} before each step of its code
     * and of the classes beside it (same package, same code base: a superclass, a helper, its
     * nested classes). Public interfaces, and everything else, are shared with the grading.
     */
    static Class<?> reloaded(Class<?> solutionClass) throws ClassNotFoundException {
        return Class.forName(solutionClass.getName(), true, new SteppingLoader(solutionClass));
    }

    /** Child-first for the solution's package and code base; the rest from the solution's own loader. */
    private static final class SteppingLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final String packagePrefix;
        private final String codeBase;

        SteppingLoader(Class<?> solutionClass) {
            super("grading: steps of " + solutionClass.getSimpleName(), solutionClass.getClassLoader());
            this.packagePrefix = solutionClass.getPackageName() + ".";
            this.codeBase = codeBase(solutionClass.getName(), solutionClass.getClassLoader());
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
                    if (original != null && !publicInterface(new ClassReader(original).getAccess())) {
                        byte[] stepped = withSteps(original);
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

        /** A public interface (the exercise's, say) is the grading's too; a package-private one goes with the solution. */
        private static boolean publicInterface(int access) {
            return (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_PUBLIC) != 0;
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

    private static final String STEP_OWNER = Steps.class.getName().replace('.', '/');

    /** The class with {@code Steps.step()} called before each field or array access, lock, unlock and call. */
    static byte[] withSteps(byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                        if (name.equals("<init>") || name.equals("<clinit>")) {
                            return method; // a solution under construction is not shared yet
                        }
                        return new MethodVisitor(Opcodes.ASM9, method) {
                            private void step() {
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, STEP_OWNER, "step", "()V", false);
                            }

                            @Override
                            public void visitFieldInsn(int opcode, String owner, String field, String type) {
                                step();
                                super.visitFieldInsn(opcode, owner, field, type);
                            }

                            @Override
                            public void visitMethodInsn(
                                    int opcode, String owner, String called, String type, boolean isInterface) {
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

                            @Override
                            public void visitInvokeDynamicInsn(
                                    String called, String type, Handle bootstrap, Object... arguments) {
                                super.visitInvokeDynamicInsn(
                                        called, type, bootstrap, arguments); // makes a lambda: no step
                            }
                        };
                    }
                },
                0);
        return writer.toByteArray();
    }
}
