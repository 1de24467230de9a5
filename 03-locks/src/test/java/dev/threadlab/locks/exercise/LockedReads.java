package dev.threadlab.locks.exercise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * A structural check on a graded class's own bytecode (the class file the JVM loaded, read from
 * where it was loaded, as common's {@code CourseRules} does): a plain field (not final, not
 * volatile) that some method writes while holding a lock must be read while holding a lock that is
 * held at every such write. Without it (or {@code volatile}) a read has no happens-before edge with
 * the writer: it may see a stale value, or, for a {@code long}, half of one. A model checker that
 * assumes sequential consistency (Lincheck) cannot show that, so it is decided here, by
 * construction, from the code.
 *
 * <p>Locks are compared by identity, symbolically: the counter's own monitor ({@code this}: a
 * {@code synchronized} instance method, or {@code synchronized (this)}), the class's monitor (a
 * {@code static synchronized} method, or {@code synchronized (X.class)}), the monitor of the object
 * in a field, or the {@link Lock} / {@link java.util.concurrent.locks.ReadWriteLock} /
 * {@link StampedLock} in a field (a read-write lock's read and write locks count as one lock). The
 * locks held at an instruction are those held on every path to it; a private method of the class
 * holds, on entry, the locks held at every call of it in the class. A lock the check cannot name
 * (say, one passed as an argument) is given the benefit of the doubt, as before: only a read under
 * no lock at all, or under locks that are all named and all different from the writes', is refused.
 * An object made in the method ({@code new}), or returned by a method of the class that makes one,
 * is named too: a lock no other call can hold, so it never guards a read.
 */
final class LockedReads {

    private LockedReads() {}

    private static final String UNKNOWN = "?";
    private static final String THIS = "this";
    private static final String CLASS = "class";
    /** An object made (NEW) in the method, or returned by a method of the class that makes it: no other call holds it. */
    private static final String NEW = "new";

    /**
     * One read of a guarded field not under the writes' lock.
     *
     * @param readLocks the locks held at the read (empty: none)
     * @param writeLocks the locks held at the write in {@code writer}
     * @param advice how to hold the writes' lock at this read
     */
    record UnlockedRead(
            String field, String reader, int line, String writer, String readLocks, String writeLocks, String advice) {

        boolean unlocked() {
            return readLocks.isEmpty();
        }
    }

    /** @return the first read of a lock-guarded plain field made without a lock the writes hold, if any */
    static Optional<UnlockedRead> firstUnlockedRead(Class<?> type) {
        ClassNode node = read(type);
        Map<String, FieldNode> plain = new HashMap<>();
        Map<String, String> fieldTypes = new HashMap<>();
        for (FieldNode f : node.fields) {
            fieldTypes.put(f.name, f.desc);
            if ((f.access & (Opcodes.ACC_FINAL | Opcodes.ACC_VOLATILE)) == 0) {
                plain.put(f.name, f);
            }
        }
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        Analysis analysis = new Analysis(node, type.getClassLoader());
        record Access(String field, MethodNode method, int index, List<String> locks) {}
        List<Access> writes = new ArrayList<>();
        List<Access> reads = new ArrayList<>();
        for (MethodNode m : node.methods) {
            List<String>[] held = analysis.held.get(m);
            if (m.name.startsWith("<") || held == null) {
                continue; // constructors publish through the final field of the graded instance
            }
            for (int i = 0; i < m.instructions.size(); i++) {
                if (!(m.instructions.get(i) instanceof FieldInsnNode f)
                        || !f.owner.equals(node.name)
                        || !plain.containsKey(f.name)
                        || held[i] == null) {
                    continue;
                }
                boolean write = f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC;
                Access access = new Access(f.name, m, i, held[i]);
                if (write && !held[i].isEmpty()) {
                    writes.add(access);
                } else if (!write) {
                    reads.add(access);
                }
            }
        }
        for (Access r : reads) {
            List<Access> guarding =
                    writes.stream().filter(w -> w.field().equals(r.field())).toList();
            if (guarding.isEmpty()) {
                continue;
            }
            // A lock made for the call (NEW) is named, and no other call holds it: it never guards.
            List<String> readLocks = r.locks().stream().filter(l -> !isNew(l)).toList();
            boolean unknown = readLocks.contains(UNKNOWN_MONITOR) || readLocks.contains(UNKNOWN_LOCK);
            List<String> common = new ArrayList<>(guarding.get(0).locks());
            for (Access w : guarding) {
                unknown |= w.locks().contains(UNKNOWN_MONITOR) || w.locks().contains(UNKNOWN_LOCK);
                common.retainAll(w.locks());
            }
            common.removeIf(LockedReads::isNew);
            if (r.locks().isEmpty()
                    || readLocks.isEmpty()
                    || (!unknown && readLocks.stream().noneMatch(common::contains))) {
                Access w = guarding.get(0);
                String guard = common.isEmpty() ? w.locks().get(0) : common.get(0);
                boolean isStatic = (r.method().access & Opcodes.ACC_STATIC) != 0;
                return Optional.of(new UnlockedRead(
                        r.field(),
                        r.method().name,
                        line(r.method(), r.index()),
                        w.method().name,
                        describe(r.locks(), r.method(), node, fieldTypes),
                        describe(w.locks(), w.method(), node, fieldTypes),
                        advice(guard, r.method().name, isStatic, callerOf(node, r.method()), node, fieldTypes)));
            }
        }
        return Optional.empty();
    }

    private static boolean isNew(String lock) {
        return lock.endsWith(" " + NEW);
    }

    private static final String UNKNOWN_MONITOR = "monitor " + UNKNOWN;
    private static final String UNKNOWN_LOCK = "lock " + UNKNOWN;

    /** @return the locks, in words: which lock each is and what holds it */
    private static String describe(List<String> locks, MethodNode m, ClassNode node, Map<String, String> types) {
        List<String> words = new ArrayList<>();
        for (String lock : new java.util.LinkedHashSet<>(locks)) {
            words.add(describe(lock, m, node, types));
        }
        return String.join(" and ", words);
    }

    private static String describe(String lock, MethodNode m, ClassNode node, Map<String, String> types) {
        String simple = simpleName(node);
        boolean syncMethod = (m.access & Opcodes.ACC_SYNCHRONIZED) != 0;
        boolean staticMethod = (m.access & Opcodes.ACC_STATIC) != 0;
        if (lock.equals("monitor " + THIS)) {
            return "the counter's own monitor (this"
                    + (syncMethod && !staticMethod ? ": a synchronized instance method" : "") + ")";
        }
        if (lock.equals("monitor " + CLASS)) {
            return "the class's monitor (" + simple + ".class"
                    + (syncMethod && staticMethod
                            ? ": " + m.name + "() is static synchronized, and a static synchronized method locks the"
                                    + " class, not the counter"
                            : "")
                    + ")";
        }
        if (lock.equals("monitor " + NEW)) {
            return "the monitor of a new object made in " + m.name + "(), which no other call can hold";
        }
        if (lock.equals("lock " + NEW)) {
            return "a lock that is a new object made in " + m.name + "(), which no other call can hold";
        }
        String[] parts = lock.split(" ", 3); // kind, "field"/"static"/"class", name
        if (parts.length == 3 && parts[0].equals("monitor")) {
            return parts[1].equals("class")
                    ? "the monitor of " + parts[2].replace('/', '.') + ".class"
                    : "the monitor of the object in the field " + parts[2] + " (synchronized (" + parts[2] + "))";
        }
        if (parts.length == 3 && parts[0].equals("lock")) {
            return lockKind(types.get(parts[2])) + " in the field " + parts[2];
        }
        return parts[0].equals("lock") ? "a lock the grading cannot name" : "a monitor the grading cannot name";
    }

    private static String lockKind(String desc) {
        if (desc == null) {
            return "the lock";
        }
        if (desc.contains("ReadWriteLock")) {
            return "the read-write lock";
        }
        if (desc.contains("StampedLock")) {
            return "the stamped lock";
        }
        return "the lock";
    }

    /** @return how {@code reader} can hold {@code guard} at its read */
    private static String advice(
            String guard,
            String reader,
            boolean readerStatic,
            String caller,
            ClassNode node,
            Map<String, String> types) {
        String simple = simpleName(node);
        String callerWords = caller == null ? "the method that calls it" : caller + "(), which calls it,";
        if (guard.equals("monitor " + THIS)) {
            return readerStatic
                    ? "the writes hold the counter's monitor (this), and " + reader + "() is static: a static"
                            + " synchronized method locks " + simple + ".class, not the counter. Make " + callerWords
                            + " synchronized, or make " + reader + "() a synchronized instance method (not static)"
                    : "the writes hold the counter's monitor (this): make " + reader + "() synchronized (not static),"
                            + " or read inside synchronized (this) { … }";
        }
        if (guard.equals("monitor " + CLASS)) {
            return "the writes hold the class's monitor (" + simple + ".class): read inside synchronized (" + simple
                    + ".class) { … }";
        }
        String[] parts = guard.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("monitor")) {
            return "the writes hold the monitor of " + parts[2] + ": read inside synchronized (" + parts[2] + ") { … }";
        }
        if (parts.length == 3 && parts[0].equals("lock")) {
            String f = parts[2];
            String kind = lockKind(types.get(f));
            if (kind.equals("the read-write lock")) {
                return "the writes hold the read-write lock " + f + ": " + f + ".readLock().lock() before the read and "
                        + f + ".readLock().unlock() in finally";
            }
            if (kind.equals("the stamped lock")) {
                return "the writes hold the stamped lock " + f + ": long stamp = " + f + ".readLock() before the read"
                        + " and " + f + ".unlockRead(stamp) in finally";
            }
            return "the writes hold the lock " + f + ": " + f + ".lock() before the read and " + f
                    + ".unlock() in finally";
        }
        return "hold the lock the writes hold, from before the read to after it";
    }

    private static String simpleName(ClassNode node) {
        return node.name.substring(node.name.lastIndexOf('/') + 1);
    }

    /** @return the name of a method of the class that calls {@code target}, if any */
    private static String callerOf(ClassNode node, MethodNode target) {
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof MethodInsnNode call
                        && call.owner.equals(node.name)
                        && call.name.equals(target.name)
                        && call.desc.equals(target.desc)) {
                    return m.name;
                }
            }
        }
        return null;
    }

    /**
     * The locks held before each instruction of each method (null: unreachable), as a sorted list
     * of lock names ("monitor this", "monitor class", "monitor field f", "lock field f",
     * "lock ?"…): those held on every path to it, a private method's entry being what every call of
     * it in the class holds.
     */
    private static final class Analysis {
        final ClassNode node;
        final ClassLoader loader;
        final Map<MethodNode, Frame<SourceValue>[]> frames = new HashMap<>();
        final Map<MethodNode, List<String>[]> held = new HashMap<>();

        Analysis(ClassNode node, ClassLoader loader) {
            this.node = node;
            this.loader = loader;
            Map<MethodNode, List<String>> entry = new HashMap<>();
            for (MethodNode m : node.methods) {
                if (m.instructions.size() == 0) {
                    continue;
                }
                try {
                    frames.put(m, new Analyzer<>(new SourceInterpreter()).analyze(node.name, m));
                } catch (AnalyzerException e) {
                    continue; // not analysable: its accesses are not judged
                }
                entry.put(m, own(m));
            }
            for (int round = 0; round < 8; round++) {
                held.clear();
                entry.forEach((m, locks) -> held.put(m, flow(m, locks)));
                boolean changed = false;
                for (MethodNode target : entry.keySet()) {
                    if ((target.access & Opcodes.ACC_PRIVATE) == 0 || target.name.startsWith("<")) {
                        continue;
                    }
                    List<String> atCalls = atEveryCall(target);
                    if (atCalls == null) {
                        continue;
                    }
                    List<String> now = union(own(target), atCalls);
                    if (!now.equals(entry.get(target))) {
                        entry.put(target, now);
                        changed = true;
                    }
                }
                if (!changed) {
                    break;
                }
            }
        }

        private List<String> own(MethodNode m) {
            if ((m.access & Opcodes.ACC_SYNCHRONIZED) == 0) {
                return List.of();
            }
            return List.of("monitor " + ((m.access & Opcodes.ACC_STATIC) != 0 ? CLASS : THIS));
        }

        /** @return the locks held at every reachable call of {@code target} in the class, or null if none */
        private List<String> atEveryCall(MethodNode target) {
            List<String> common = null;
            for (Map.Entry<MethodNode, List<String>[]> e : held.entrySet()) {
                MethodNode m = e.getKey();
                List<String>[] locks = e.getValue();
                for (int i = 0; i < m.instructions.size(); i++) {
                    if (m.instructions.get(i) instanceof MethodInsnNode call
                            && call.owner.equals(node.name)
                            && call.name.equals(target.name)
                            && call.desc.equals(target.desc)
                            && locks[i] != null) {
                        common = common == null ? locks[i] : intersect(common, locks[i]);
                    }
                }
            }
            return common;
        }

        @SuppressWarnings("unchecked")
        private List<String>[] flow(MethodNode m, List<String> atEntry) {
            int n = m.instructions.size();
            List<String>[] state = new List[n];
            Deque<Integer> work = new ArrayDeque<>();
            state[0] = atEntry;
            work.push(0);
            while (!work.isEmpty()) {
                int i = work.pop();
                AbstractInsnNode insn = m.instructions.get(i);
                List<String> before = state[i];
                List<String> after = step(m, i, insn, before);
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
                        merge(state, work, s, after);
                    }
                }
                for (TryCatchBlockNode block : m.tryCatchBlocks) {
                    if (m.instructions.indexOf(block.start) <= i && i < m.instructions.indexOf(block.end)) {
                        merge(state, work, m.instructions.indexOf(block.handler), before);
                    }
                }
            }
            return state;
        }

        private static void merge(List<String>[] state, Deque<Integer> work, int at, List<String> value) {
            List<String> merged = state[at] == null ? value : intersect(state[at], value);
            if (state[at] == null || !merged.equals(state[at])) {
                state[at] = merged;
                work.push(at);
            }
        }

        /** @return the locks held after {@code insn} */
        private List<String> step(MethodNode m, int i, AbstractInsnNode insn, List<String> before) {
            Frame<SourceValue> frame = frames.get(m)[i];
            if (frame == null) {
                return before;
            }
            if (insn.getOpcode() == Opcodes.MONITORENTER) {
                return add(before, "monitor " + object(m, top(frame, 0), 0));
            }
            if (insn.getOpcode() == Opcodes.MONITOREXIT) {
                return remove(before, "monitor " + object(m, top(frame, 0), 0));
            }
            if (!(insn instanceof MethodInsnNode call) || call.getOpcode() == Opcodes.INVOKESTATIC) {
                return before;
            }
            String owner = call.owner.replace('/', '.');
            int args = Type.getArgumentTypes(call.desc).length;
            boolean stamped = owner.equals(StampedLock.class.getName());
            if (!stamped && !isALock(owner, loader)) {
                return before;
            }
            String lock = "lock " + object(m, top(frame, args), 0);
            if (stamped) {
                if (call.name.matches("(try)?(read|write)Lock(Interruptibly)?") && !call.desc.contains("Lock;")) {
                    return add(before, lock);
                }
                return call.name.startsWith("unlock") ? remove(before, lock) : before;
            }
            if (call.name.equals("lock") || call.name.equals("lockInterruptibly") || call.name.equals("tryLock")) {
                return add(before, lock);
            }
            return call.name.equals("unlock") ? remove(before, lock) : before;
        }

        private static SourceValue top(Frame<SourceValue> frame, int below) {
            return frame.getStack(frame.getStackSize() - 1 - below);
        }

        /** @return which object a value is: "this", "class", "field f", "static f", "class x/Y", or "?" */
        private String object(MethodNode m, SourceValue value, int depth) {
            if (depth > 12 || value.insns.isEmpty()) {
                return UNKNOWN;
            }
            String found = null;
            for (AbstractInsnNode source : value.insns) {
                String one = objectFrom(m, source, depth);
                if (found != null && !found.equals(one)) {
                    return UNKNOWN;
                }
                found = one;
            }
            return found;
        }

        private String objectFrom(MethodNode m, AbstractInsnNode source, int depth) {
            int at = m.instructions.indexOf(source);
            Frame<SourceValue> frame = frames.get(m)[at];
            if (frame == null) {
                return UNKNOWN;
            }
            int op = source.getOpcode();
            if (source instanceof VarInsnNode var && op == Opcodes.ALOAD) {
                SourceValue local = frame.getLocal(var.var);
                if (local.insns.isEmpty()) { // a parameter, never stored to on the way here
                    return var.var == 0 && (m.access & Opcodes.ACC_STATIC) == 0 ? THIS : UNKNOWN;
                }
                return object(m, local, depth + 1);
            }
            if (op == Opcodes.ASTORE || op == Opcodes.DUP || op == Opcodes.CHECKCAST) {
                return object(m, top(frame, 0), depth + 1);
            }
            if (source instanceof LdcInsnNode ldc && ldc.cst instanceof Type t) {
                return t.getInternalName().equals(node.name) ? CLASS : "class " + t.getInternalName();
            }
            if (source instanceof FieldInsnNode f && f.owner.equals(node.name)) {
                if (op == Opcodes.GETSTATIC) {
                    return "static " + f.name;
                }
                if (op == Opcodes.GETFIELD
                        && object(m, top(frame, 0), depth + 1).equals(THIS)) {
                    return "field " + f.name;
                }
            }
            if (op == Opcodes.NEW) {
                return NEW;
            }
            if (source instanceof MethodInsnNode call
                    && call.owner.equals(node.name)
                    && Type.getReturnType(call.desc).getSort() == Type.OBJECT
                    && madeByEveryReturn(call, depth)) {
                return NEW; // a method of the class that makes a new object for each call
            }
            if (source instanceof MethodInsnNode call
                    && call.getOpcode() != Opcodes.INVOKESTATIC
                    && call.desc.startsWith("()")
                    && call.name.matches("readLock|writeLock|asReadLock|asWriteLock|asReadWriteLock")
                    && call.desc.contains("Lock;")) {
                return object(m, top(frame, 0), depth + 1); // a read-write lock's two locks count as one
            }
            return UNKNOWN;
        }

        /** @return whether the called method of the class returns, on every return, an object it made */
        private boolean madeByEveryReturn(MethodInsnNode call, int depth) {
            for (MethodNode callee : node.methods) {
                if (!callee.name.equals(call.name) || !callee.desc.equals(call.desc) || !frames.containsKey(callee)) {
                    continue;
                }
                if (call.getOpcode() != Opcodes.INVOKESTATIC
                        && call.getOpcode() != Opcodes.INVOKESPECIAL
                        && (callee.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) == 0
                        && (node.access & Opcodes.ACC_FINAL) == 0) {
                    return false; // may be overridden
                }
                boolean any = false;
                Frame<SourceValue>[] calleeFrames = frames.get(callee);
                for (int i = 0; i < callee.instructions.size(); i++) {
                    if (callee.instructions.get(i).getOpcode() == Opcodes.ARETURN && calleeFrames[i] != null) {
                        if (!object(callee, top(calleeFrames[i], 0), depth + 4).equals(NEW)) {
                            return false;
                        }
                        any = true;
                    }
                }
                return any;
            }
            return false;
        }

        private static List<String> add(List<String> locks, String lock) {
            if (locks.size() >= 16) {
                return locks;
            }
            List<String> result = new ArrayList<>(locks);
            result.add(lock);
            result.sort(null);
            return List.copyOf(result);
        }

        private static List<String> remove(List<String> locks, String lock) {
            List<String> result = new ArrayList<>(locks);
            result.remove(lock); // a release of a lock not held changes nothing
            return List.copyOf(result);
        }

        /** Multiset intersection of two sorted lists. */
        private static List<String> intersect(List<String> a, List<String> b) {
            List<String> rest = new ArrayList<>(b);
            List<String> result = new ArrayList<>();
            for (String s : a) {
                if (rest.remove(s)) {
                    result.add(s);
                }
            }
            return List.copyOf(result);
        }

        private static List<String> union(List<String> a, List<String> b) {
            List<String> result = new ArrayList<>(a);
            for (String s : b) {
                if (!result.contains(s)) {
                    result.add(s);
                }
            }
            result.sort(null);
            return List.copyOf(result);
        }
    }

    private static boolean isALock(String owner, ClassLoader loader) {
        try {
            return Lock.class.isAssignableFrom(Class.forName(owner, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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

    private static int line(MethodNode m, int index) {
        for (int i = index; i >= 0; i--) {
            if (m.instructions.get(i) instanceof LineNumberNode l) {
                return l.line;
            }
        }
        return -1;
    }
}
