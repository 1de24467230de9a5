package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.testsupport.SteppedClasses;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * Makes a solution's join <em>with a timeout</em> on a worker whose cleanup the grading holds run
 * out at once, however long its timeout: the rules say "wait until it has ended", and a timed join
 * waits only until its timeout, which the grading need not wait out to judge.
 *
 * <p>The solution is loaded again ({@link #reloaded}) with each call of {@code Thread.join(long)},
 * {@code join(long, int)}, {@code join(Duration)} and {@code TimeUnit.timedJoin} routed here. For a
 * target that a harness holds ({@link Holder}: interrupted, its cleanup held until it is waited for
 * to the end), the first {@code JoinWatch.TRIES - 1} (63) timed joins return at once, the target
 * alive, as joins whose timeout ran out; a caller that stops there returns with the target alive and
 * breaks the rule, every run, with one message whatever its timeout: a loop that gives up after fewer
 * than {@code JoinWatch.TRIES} (64) tries is a give-up. A caller that joins it for the
 * {@code JoinWatch.TRIES}th time (a loop {@code while (t.isAlive()) t.join(...)}) has shown that it
 * waits until the end: the target is let go ({@link JoinWatch}) and the join is a real one. Every other join (no timeout, a target not held, a zero timeout) is the
 * real call, untouched; so is the untimed {@code join()}, which the hold sees as {@code WAITING}.
 *
 * <p>Reloaded are the solution's class, its nested classes and the non-public classes beside it
 * (same package and code base); public ones (the exercise's {@code Outcome}, say) are shared with the
 * grading. A class the grading cannot load again runs as it is: its timed joins are then seen only
 * by {@link JoinWatch} (re-entered waits), and one long timed join is waited for as any wait is.
 */
@ThreadSafe
public final class TimedJoins {

    private TimedJoins() {}

    /** A harness that holds some threads' cleanup until they are waited for to the end. */
    interface Holder {
        /** @return the watch of {@code target} if it is held (interrupted, cleanup held), else null */
        JoinWatch heldFor(Thread target);
    }

    private static final Set<Holder> HOLDERS = ConcurrentHashMap.newKeySet();

    static void add(Holder holder) {
        HOLDERS.add(holder);
    }

    static void remove(Holder holder) {
        HOLDERS.remove(holder);
    }

    /** @return true if this timed join on {@code target} is to run out at once (one of the first on a held target) */
    private static boolean runsOutAtOnce(Thread target) throws InterruptedException {
        for (Holder holder : HOLDERS) {
            JoinWatch watch = holder.heldFor(target);
            if (watch != null && watch.timedJoin()) {
                if (Thread.interrupted()) { // as the real join would: the target is alive, so it would wait
                    throw new InterruptedException();
                }
                return true;
            }
        }
        return false;
    }

    /** Routed {@code target.join(millis)}. */
    public static void join(Thread target, long millis) throws InterruptedException {
        if (millis > 0 && runsOutAtOnce(target)) {
            return;
        }
        target.join(millis);
    }

    /** Routed {@code target.join(millis, nanos)}. */
    public static void join(Thread target, long millis, int nanos) throws InterruptedException {
        if (millis >= 0 && nanos >= 0 && (millis > 0 || nanos > 0) && runsOutAtOnce(target)) {
            return;
        }
        target.join(millis, nanos);
    }

    /** Routed {@code target.join(timeout)}. */
    public static boolean join(Thread target, Duration timeout) throws InterruptedException {
        if (timeout != null && timeout.isPositive() && runsOutAtOnce(target)) {
            return false;
        }
        return target.join(timeout);
    }

    /** Routed {@code unit.timedJoin(target, timeout)}. */
    public static void timedJoin(TimeUnit unit, Thread target, long timeout) throws InterruptedException {
        if (unit != null && timeout > 0 && runsOutAtOnce(target)) {
            return;
        }
        unit.timedJoin(target, timeout);
    }

    /**
     * @return a new instance of {@code solution}'s class loaded again with its timed joins routed
     *         here, or {@code solution} itself if it cannot be loaded again
     */
    static <T> T reloaded(T solution, Class<T> type) {
        try {
            Class<?> original = solution.getClass();
            String own = original.getName();
            ClassLoader parent = original.getClassLoader();
            // The solution and its nested classes, and package-private helpers; public classes
            // beside it (the exercise's result types) stay the grading's.
            Class<?> again = SteppedClasses.reloaded(
                    original,
                    bytes -> routed(bytes, parent),
                    (name, access) ->
                            name.equals(own) || name.startsWith(own + "$") || (access & Opcodes.ACC_PUBLIC) == 0);
            if (again == original) {
                return solution;
            }
            Constructor<?> make = again.getDeclaredConstructor();
            make.setAccessible(true);
            return type.cast(make.newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return solution; // run as it is
        }
    }

    private static final String SELF = TimedJoins.class.getName().replace('.', '/');

    /** The class file with its timed joins routed here. */
    static byte[] routed(byte[] original, ClassLoader loader) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
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
                                if (opcode == Opcodes.INVOKEVIRTUAL
                                        && called.equals("join")
                                        && (type.equals("(J)V")
                                                || type.equals("(JI)V")
                                                || type.equals("(Ljava/time/Duration;)Z"))
                                        && isThread(owner, loader)) {
                                    super.visitMethodInsn(
                                            Opcodes.INVOKESTATIC,
                                            SELF,
                                            "join",
                                            "(Ljava/lang/Thread;" + type.substring(1),
                                            false);
                                } else if (opcode == Opcodes.INVOKEVIRTUAL
                                        && owner.equals("java/util/concurrent/TimeUnit")
                                        && called.equals("timedJoin")
                                        && type.equals("(Ljava/lang/Thread;J)V")) {
                                    super.visitMethodInsn(
                                            Opcodes.INVOKESTATIC,
                                            SELF,
                                            "timedJoin",
                                            "(Ljava/util/concurrent/TimeUnit;Ljava/lang/Thread;J)V",
                                            false);
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

    /** @return true if {@code owner} is Thread or a subclass of it (a solution's own Thread subclass) */
    private static boolean isThread(String owner, ClassLoader loader) {
        if (owner.equals("java/lang/Thread")) {
            return true;
        }
        try {
            return Thread.class.isAssignableFrom(Class.forName(owner.replace('/', '.'), false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
