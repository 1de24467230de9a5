package dev.threadlab.locks.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * A structural check on a graded class's own bytecode (the class file the JVM loaded, read from
 * where it was loaded, as common's {@code CourseRules} does): a plain field (not final, not
 * volatile) that some method writes while holding a lock must be read while holding a lock too.
 * Without a lock (or {@code volatile}) a read has no happens-before edge with the writer: it may
 * see a stale value, or, for a {@code long}, half of one. A model checker that assumes sequential
 * consistency (Lincheck) cannot show that, so it is decided here, by construction, from the code.
 *
 * <p>"Holding a lock" at an instruction: the method is {@code synchronized}, or every path to the
 * instruction has entered more monitors ({@code synchronized} blocks) or called more
 * {@link Lock#lock()}-like methods ({@code lock}, {@code lockInterruptibly}, {@code tryLock} of a
 * {@link Lock}, or {@link StampedLock}'s read/write locks) than it has released; or it is in a
 * private method of the class that is called only while holding a lock.
 */
final class LockedReads {

    private LockedReads() {}

    /** One read of a guarded field without a lock. */
    record UnlockedRead(String field, String reader, int line, String writer) {}

    /** @return the first read of a lock-guarded plain field made without a lock, if any */
    static Optional<UnlockedRead> firstUnlockedRead(Class<?> type) {
        ClassNode node = read(type);
        Map<String, FieldNode> plain = new HashMap<>();
        for (FieldNode f : node.fields) {
            if ((f.access & (Opcodes.ACC_FINAL | Opcodes.ACC_VOLATILE)) == 0) {
                plain.put(f.name, f);
            }
        }
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        ClassLoader loader = type.getClassLoader();
        Map<MethodNode, int[]> depths = new HashMap<>();
        for (MethodNode m : node.methods) {
            if (m.instructions.size() > 0) {
                depths.put(m, depths(m, loader));
            }
        }
        Set<String> enteredLocked = privateMethodsCalledOnlyUnderALock(node, depths);
        Map<String, String> guardedBy = new HashMap<>(); // field -> a method writing it under a lock
        List<Object[]> reads = new ArrayList<>();
        for (MethodNode m : node.methods) {
            if (m.name.startsWith("<") || !depths.containsKey(m)) {
                continue; // constructors publish through the final field of the graded instance
            }
            int[] depth = depths.get(m);
            boolean whole = (m.access & Opcodes.ACC_SYNCHRONIZED) != 0 || enteredLocked.contains(m.name + m.desc);
            for (int i = 0; i < m.instructions.size(); i++) {
                if (!(m.instructions.get(i) instanceof FieldInsnNode f)
                        || !f.owner.equals(node.name)
                        || !plain.containsKey(f.name)
                        || depth[i] < 0) {
                    continue;
                }
                boolean held = whole || depth[i] > 0;
                boolean write = f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC;
                if (write && held) {
                    guardedBy.putIfAbsent(f.name, m.name);
                } else if (!write && !held) {
                    reads.add(new Object[] {f.name, m.name, line(m, i)});
                }
            }
        }
        for (Object[] r : reads) {
            String writer = guardedBy.get((String) r[0]);
            if (writer != null) {
                return Optional.of(new UnlockedRead((String) r[0], (String) r[1], (Integer) r[2], writer));
            }
        }
        return Optional.empty();
    }

    private static ClassNode read(Class<?> type) {
        String file = type.getName().replace('.', '/') + ".class";
        CodeSource source = type.getProtectionDomain().getCodeSource();
        try {
            InputStream in = null;
            URLClassLoader fromThere = null;
            if (source != null && source.getLocation() != null) {
                fromThere = new URLClassLoader(new URL[] {source.getLocation()}, null);
                in = fromThere.getResourceAsStream(file);
            }
            if (in == null) {
                in = type.getClassLoader().getResourceAsStream(file);
            }
            if (in == null) {
                throw new IllegalStateException("cannot read the class file of " + type.getName());
            }
            try (InputStream bytes = in) {
                ClassNode node = new ClassNode();
                new ClassReader(bytes.readAllBytes()).accept(node, ClassReader.SKIP_FRAMES);
                return node;
            } finally {
                if (fromThere != null) {
                    fromThere.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Locks held before each instruction (-1: unreachable): the fewest over every path, so a lock
     * released on one path only counts as released.
     */
    private static int[] depths(MethodNode m, ClassLoader loader) {
        int n = m.instructions.size();
        int[] depth = new int[n];
        Arrays.fill(depth, -1);
        Deque<Integer> work = new ArrayDeque<>();
        depth[0] = 0;
        work.push(0);
        while (!work.isEmpty()) {
            int i = work.pop();
            AbstractInsnNode insn = m.instructions.get(i);
            int before = depth[i];
            int after = Math.min(16, Math.max(0, before + delta(insn, loader)));
            List<Integer> next = new ArrayList<>();
            if (insn instanceof JumpInsnNode jump) {
                next.add(m.instructions.indexOf(jump.label));
                if (jump.getOpcode() != Opcodes.GOTO) {
                    next.add(i + 1);
                }
            } else if (insn instanceof TableSwitchInsnNode table) {
                next.add(m.instructions.indexOf(table.dflt));
                table.labels.forEach(l -> next.add(m.instructions.indexOf(l)));
            } else if (insn instanceof LookupSwitchInsnNode lookup) {
                next.add(m.instructions.indexOf(lookup.dflt));
                lookup.labels.forEach(l -> next.add(m.instructions.indexOf(l)));
            } else {
                int op = insn.getOpcode();
                if (op != Opcodes.ATHROW && (op < Opcodes.IRETURN || op > Opcodes.RETURN)) {
                    next.add(i + 1);
                }
            }
            for (int s : next) {
                if (s < n) {
                    merge(depth, work, s, after);
                }
            }
            for (TryCatchBlockNode block : m.tryCatchBlocks) {
                if (m.instructions.indexOf(block.start) <= i && i < m.instructions.indexOf(block.end)) {
                    merge(depth, work, m.instructions.indexOf(block.handler), before);
                }
            }
        }
        return depth;
    }

    private static void merge(int[] depth, Deque<Integer> work, int at, int value) {
        if (depth[at] < 0 || value < depth[at]) {
            depth[at] = value;
            work.push(at);
        }
    }

    private static int delta(AbstractInsnNode insn, ClassLoader loader) {
        if (insn.getOpcode() == Opcodes.MONITORENTER) {
            return 1;
        }
        if (insn.getOpcode() == Opcodes.MONITOREXIT) {
            return -1;
        }
        if (insn instanceof MethodInsnNode call) {
            String owner = call.owner.replace('/', '.');
            if (owner.equals(StampedLock.class.getName())) {
                if (call.name.matches("(try)?(read|write)Lock(Interruptibly)?") && !call.desc.contains("Lock;")) {
                    return 1;
                }
                return call.name.startsWith("unlock") ? -1 : 0;
            }
            if (isALock(owner, loader)) {
                if (call.name.equals("lock") || call.name.equals("lockInterruptibly") || call.name.equals("tryLock")) {
                    return 1;
                }
                return call.name.equals("unlock") ? -1 : 0;
            }
        }
        return 0;
    }

    private static boolean isALock(String owner, ClassLoader loader) {
        try {
            return Lock.class.isAssignableFrom(Class.forName(owner, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Private methods of the class whose every call in it is made while holding a lock. */
    private static Set<String> privateMethodsCalledOnlyUnderALock(ClassNode node, Map<MethodNode, int[]> depths) {
        Set<String> result = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (MethodNode target : node.methods) {
                String key = target.name + target.desc;
                if ((target.access & Opcodes.ACC_PRIVATE) == 0 || result.contains(key)) {
                    continue;
                }
                boolean called = false;
                boolean alwaysLocked = true;
                for (MethodNode m : node.methods) {
                    int[] depth = depths.get(m);
                    if (depth == null) {
                        continue;
                    }
                    boolean whole = Modifier.isSynchronized(m.access) || result.contains(m.name + m.desc);
                    for (int i = 0; i < m.instructions.size(); i++) {
                        if (m.instructions.get(i) instanceof MethodInsnNode call
                                && call.owner.equals(node.name)
                                && (call.name + call.desc).equals(key)
                                && depth[i] >= 0) {
                            called = true;
                            alwaysLocked &= whole || depth[i] > 0;
                        }
                    }
                }
                if (called && alwaysLocked) {
                    result.add(key);
                    grew = true;
                }
            }
        }
        return result;
    }

    private static int line(MethodNode m, int index) {
        for (int i = index; i >= 0; i--) {
            if (m.instructions.get(i) instanceof LineNumberNode l) {
                return l.line;
            }
        }
        return -1;
    }
}
