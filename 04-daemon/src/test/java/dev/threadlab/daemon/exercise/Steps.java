package dev.threadlab.daemon.exercise;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Objects;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * A forced interleaving, as a model checker makes one: a saver's class is loaded again with a
 * call to {@link #step()} before each of its steps (each field read or write, each lock taken or
 * released, each method call, in every method of the class and of the classes of its package and
 * code base), so that the grading can pause one chosen thread before its n-th step, run something
 * else to the end, and let it go on. Nothing depends on timing: the paused thread does nothing
 * until it is let go, whatever the load.
 *
 * <p>Used by {@link AutoSaverSpec}'s rule "a save racing close() is either refused or written":
 * a {@code save} is paused before each of its steps in turn, and {@code close()} runs meanwhile.
 * A {@code save} that checks "still open" and queues the record as two steps, without holding
 * the lock {@code close()} takes, is caught between the two, in every run.
 *
 * <p>{@link #step()} is public because the re-loaded classes call it; the rest is the grading's.
 */
@ThreadSafe
public final class Steps {

    private static final Object LOCK = new Object();

    /** The thread whose steps are counted, or null. */
    private static volatile Thread counted;

    @GuardedBy("LOCK")
    private static int taken;

    @GuardedBy("LOCK")
    private static int pauseBefore;

    @GuardedBy("LOCK")
    private static boolean paused;

    @GuardedBy("LOCK")
    private static boolean letGo;

    private Steps() {}

    /** Called by the re-loaded classes before each step: pauses the counted thread before its chosen step. */
    public static void step() {
        if (Thread.currentThread() != counted) {
            return;
        }
        synchronized (LOCK) {
            taken++;
            if (taken != pauseBefore) {
                return;
            }
            paused = true;
            LOCK.notifyAll();
            boolean interrupted = false;
            while (!letGo) {
                try {
                    LOCK.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // kept for the saver's code, once let go
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts the steps of {@code thread} (not started yet) from now on, and pauses it before step {@code n} (1-based). */
    static void pause(Thread thread, int n) {
        synchronized (LOCK) {
            taken = 0;
            pauseBefore = n;
            paused = false;
            letGo = false;
            counted = Objects.requireNonNull(thread);
        }
    }

    /** @return whether the counted thread is paused (before its chosen step) */
    static boolean paused() {
        synchronized (LOCK) {
            return paused;
        }
    }

    /** Lets the paused thread go on, and counts no more steps. */
    static void letGo() {
        synchronized (LOCK) {
            counted = null;
            letGo = true;
            LOCK.notifyAll();
        }
    }

    /**
     * {@code saverClass} loaded again, with a call to {@link #step()} before each step of its code
     * and of the classes beside it (same package, same code base: a superclass, a helper, its
     * nested classes). Public interfaces, and everything else, are shared with the grading.
     */
    static Class<?> reloaded(Class<?> saverClass) throws ClassNotFoundException {
        return Class.forName(saverClass.getName(), true, new SteppingLoader(saverClass));
    }

    /** Child-first for the saver's package and code base; the rest from the saver's own loader. */
    private static final class SteppingLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final String packagePrefix;
        private final String codeBase;

        SteppingLoader(Class<?> saverClass) {
            super("grading: steps of " + saverClass.getSimpleName(), saverClass.getClassLoader());
            this.packagePrefix = saverClass.getPackageName() + ".";
            this.codeBase = codeBase(saverClass.getName(), saverClass.getClassLoader());
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
                if (loaded == null && besideTheSaver(name)) {
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

        /** A public interface (the exercise's, say) is the grading's too; a package-private one goes with the saver. */
        private static boolean publicInterface(int access) {
            return (access & Opcodes.ACC_INTERFACE) != 0 && (access & Opcodes.ACC_PUBLIC) != 0;
        }

        private boolean besideTheSaver(String name) {
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

    /** The class with {@code Steps.step()} called before each field access, lock, unlock and call. */
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
                            return method; // a saver under construction is not shared yet
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
                                if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
                                    step();
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
