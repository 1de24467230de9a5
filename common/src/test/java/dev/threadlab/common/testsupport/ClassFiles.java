package dev.threadlab.common.testsupport;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The ASM boilerplate of the gradings that load a solution again with its code changed
 * ({@link SteppedClasses}, {@link TimedWaitRouting}, 01.2's watch of plain collections): read a
 * class file, pass each method's code through a visitor, write it back. Written with the ASM that
 * byte-buddy ships ({@code net.bytebuddy.jar.asm}).
 */
public final class ClassFiles {

    private ClassFiles() {}

    /** What to do with one method's code. */
    @FunctionalInterface
    public interface MethodRewrite {
        /**
         * @param method the method's name ({@code <init>}, {@code <clinit>} for the constructors and
         *     the static initializer)
         * @param next where the method's code goes on to the class file being written
         * @return the visitor of the method's code: {@code next} to leave it as it is
         */
        MethodVisitor visit(String method, MethodVisitor next);
    }

    /** What to do with one method call in a method's code. */
    @FunctionalInterface
    public interface CallRewrite {
        /**
         * Writes the call (as {@code MethodVisitor.visitMethodInsn} gets it) to {@code out}: as it is,
         * or something in its place that takes the same operands and leaves the same result.
         */
        void call(MethodVisitor out, int opcode, String owner, String name, String descriptor, boolean isInterface);
    }

    /** @return {@code original} with each method's code passed through {@code rewrite} */
    public static byte[] rewritten(byte[] original, MethodRewrite rewrite) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        return rewrite.visit(name, super.visitMethod(access, name, descriptor, signature, exceptions));
                    }
                },
                0);
        return writer.toByteArray();
    }

    /** @return a visitor of a method's code that writes each call through {@code rewrite}, the rest as it is, to {@code next} */
    public static MethodVisitor calls(MethodVisitor next, CallRewrite rewrite) {
        return new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                rewrite.call(next, opcode, owner, name, descriptor, isInterface);
            }
        };
    }
}
