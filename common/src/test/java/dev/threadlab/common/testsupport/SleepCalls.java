package dev.threadlab.common.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Where a graded class calls {@code Thread.sleep} or {@code TimeUnit.sleep}, read from its class
 * file and those of its nest (nested, local and anonymous classes; lambdas live in their host).
 * The same question as {@link CourseRules#A_SLEEP} asks with ArchUnit, answered with the ASM
 * that byte-buddy ships: it runs before every grading, and ArchUnit's class import would cost a
 * quarter of a second of each {@code ./threadlab check}.
 *
 * <p>The class file is read from where the JVM loaded the class: the runner puts the learner's
 * fresh class first on the class path and an older copy (the stub, as the last build compiled it)
 * after it.
 */
final class SleepCalls {

    private SleepCalls() {}

    /** @return one entry a call, e.g. {@code dev.x.YourPause.pause() at line 3}, in class-file order */
    static List<String> in(Class<?> solution) {
        List<String> calls = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> toRead = new ArrayDeque<>(List.of(solution.getName().replace('.', '/')));
        while (!toRead.isEmpty()) {
            String internalName = toRead.pop();
            if (!seen.add(internalName)) {
                continue;
            }
            byte[] bytes = classFile(solution, internalName);
            if (bytes != null) {
                new ClassReader(bytes).accept(new Finder(solution.getClassLoader(), calls, toRead), 0);
            }
        }
        return calls;
    }

    private static byte[] classFile(Class<?> solution, String internalName) {
        String file = internalName + ".class";
        try {
            CodeSource source = solution.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            URL url = location == null
                    ? solution.getClassLoader().getResource(file)
                    : location.getPath().endsWith("/")
                            ? location.toURI().resolve(file).toURL()
                            : URI.create("jar:" + location + "!/" + file).toURL();
            if (url == null) {
                return null;
            }
            try (InputStream in = url.openStream()) {
                return in.readAllBytes();
            }
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            return null; // a nest member not on disk (generated at run time): nothing to read
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects the sleep calls of one class file and queues its nest's other members. */
    private static final class Finder extends ClassVisitor {
        private final ClassLoader loader;
        private final List<String> calls;
        private final Deque<String> toRead;
        private String className;

        Finder(ClassLoader loader, List<String> calls, Deque<String> toRead) {
            super(Opcodes.ASM9);
            this.loader = loader;
            this.calls = calls;
            this.toRead = toRead;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifs) {
            className = name.replace('/', '.');
        }

        @Override
        public void visitNestMember(String nestMember) {
            toRead.add(nestMember);
        }

        @Override
        public void visitInnerClass(String name, String outerName, String innerName, int access) {
            // Before Java 11's nests, and for a class compiled without them: nested classes are
            // named here. Only this class's own (a name that extends it) are ours to read.
            if (name.startsWith(className.replace('.', '/') + "$")) {
                toRead.add(name);
            }
        }

        @Override
        public MethodVisitor visitMethod(int access, String method, String descriptor, String sig, String[] ex) {
            String where = className + "." + method + "()";
            return new MethodVisitor(Opcodes.ASM9) {
                private int line;

                @Override
                public void visitLineNumber(int number, Label start) {
                    line = number;
                }

                @Override
                public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
                    record(owner, name);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... args) {
                    for (Object arg : args) {
                        if (arg instanceof Handle target) { // a method reference such as Thread::sleep
                            record(target.getOwner(), target.getName());
                        }
                    }
                }

                private void record(String owner, String name) {
                    if (name.equals("sleep") && isThreadOrTimeUnit(owner)) {
                        calls.add(where + " at line " + line);
                    }
                }
            };
        }

        /** {@code sleep(…)} inside a Thread subclass names the subclass as the owner. */
        private boolean isThreadOrTimeUnit(String owner) {
            if (owner.equals("java/lang/Thread") || owner.equals("java/util/concurrent/TimeUnit")) {
                return true;
            }
            try {
                Class<?> type = Class.forName(owner.replace('/', '.'), false, loader);
                return Thread.class.isAssignableFrom(type) || TimeUnit.class.isAssignableFrom(type);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
