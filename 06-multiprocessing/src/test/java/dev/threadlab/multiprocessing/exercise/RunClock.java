package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.common.testsupport.SteppedClasses;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * The clock a run reads on a {@link ScriptedChild}: its class is loaded again ({@link #reloaded})
 * with each {@code System.nanoTime()} routed to {@link #nanoTime()}, which is the real clock until a
 * timed wait of the run's thread on a scripted child runs out at once (as if it had waited that
 * long). From then on the run's clock stands still but for what such waits ask for, from where the
 * timeout (or grace) began: a loop that waits for what is left of a deadline asks for all of it, to
 * the nanosecond, however slowly the machine runs it; one truncated wait still asks for less.
 *
 * <p>Only a class that reads {@code System.nanoTime()} (itself or a nested class) is loaded again,
 * with its nested classes and the non-public classes beside it; any other runs as it is.
 */
@ThreadSafe
public final class RunClock {

    private RunClock() {}

    /** Routed {@code System.nanoTime()}: the run's thread's clock. */
    public static long nanoTime() {
        return ScriptedChild.nanoTimeOf(Thread.currentThread());
    }

    private static final Map<Class<?>, Class<?>> RELOADED = new ConcurrentHashMap<>();

    private static final String SELF = RunClock.class.getName().replace('.', '/');

    /** @return a new instance of {@code solution}'s class with its clock routed here, or {@code solution} itself */
    static RunAWorker reloaded(RunAWorker solution) {
        try {
            Class<?> original = solution.getClass();
            Class<?> again = RELOADED.computeIfAbsent(original, RunClock::loadAgain);
            if (again == original) {
                return solution;
            }
            Constructor<?> make = again.getDeclaredConstructor();
            make.setAccessible(true);
            return (RunAWorker) make.newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return solution; // run as it is
        }
    }

    private static Class<?> loadAgain(Class<?> original) {
        try {
            if (!readsTheClock(original)) {
                return original;
            }
            String own = original.getName();
            return SteppedClasses.reloaded(
                    original,
                    RunClock::routed,
                    (name, access) -> name.equals(own)
                            || name.startsWith(own + "$")
                            || ((access & Opcodes.ACC_PUBLIC) == 0 && (access & Opcodes.ACC_INTERFACE) == 0));
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            return original;
        }
    }

    /** @return true if the class or one of its nested classes names {@code nanoTime} */
    private static boolean readsTheClock(Class<?> type) {
        for (Class<?> member : type.getNestMembers()) {
            String resource = "/" + member.getName().replace('.', '/') + ".class";
            try (InputStream in = member.getResourceAsStream(resource)) {
                if (in != null && new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("nanoTime")) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /** The class file with {@code System.nanoTime()} routed here. */
    private static byte[] routed(byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        return new MethodVisitor(
                                Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                            @Override
                            public void visitMethodInsn(
                                    int opcode, String owner, String called, String type, boolean isInterface) {
                                if (opcode == Opcodes.INVOKESTATIC
                                        && owner.equals("java/lang/System")
                                        && called.equals("nanoTime")
                                        && type.equals("()J")) {
                                    super.visitMethodInsn(Opcodes.INVOKESTATIC, SELF, "nanoTime", "()J", false);
                                } else {
                                    super.visitMethodInsn(opcode, owner, called, type, isInterface);
                                }
                            }
                        };
                    }
                },
                0);
        return writer.toByteArray();
    }
}
