package dev.threadlab.basics.exercise;

import dev.threadlab.common.testsupport.ClassFiles;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.LockSupport;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Opcodes;
import net.jcip.annotations.ThreadSafe;

/**
 * How {@link FetchAllSpec}'s rule 7 sees two threads change one plain collection at once, by
 * construction. The solution's class is loaded again ({@code SteppedClasses}) with each call it
 * makes to a method that adds or removes elements of a {@code java.util} collection or map
 * ({@link #CHANGES}) routed through {@link #mutation}: if the collection is one of the plain,
 * not thread-safe classes ({@link #PLAIN}: {@code HashMap}, {@code ArrayList}, …; a
 * {@code ConcurrentHashMap} or a {@code Collections.synchronizedMap} is let through untouched),
 * the thread is held at the call until every other thread of the solution has stopped: it has
 * ended, waits (in {@code join()}, {@code get()}, a fetch still waiting for the others), is held
 * at such a call itself, or is blocked on a lock that a held thread owns. Two threads held at a
 * change of the SAME collection at once is a proof: nothing of the solution kept them apart, so
 * both changes can run at the same time. A solution that takes one lock around each change is
 * never caught: the second thread blocks on the lock, and is never at the call while the first is.
 *
 * <p>Only the changes that the JDK's javadoc calls structural (adding or removing an element or a
 * mapping) are watched: {@code ArrayList.set} on one's own index, like an array slot of one's own,
 * is not a race. {@link #mutation} is public because the re-loaded classes call it.
 */
@ThreadSafe
public final class SharedCollections {

    private SharedCollections() {}

    /** The classes that are not thread-safe: exactly these (a subclass, a wrapper, is let through). */
    static final Set<Class<?>> PLAIN = Set.of(
            HashMap.class,
            LinkedHashMap.class,
            TreeMap.class,
            WeakHashMap.class,
            IdentityHashMap.class,
            ArrayList.class,
            LinkedList.class,
            ArrayDeque.class,
            PriorityQueue.class,
            HashSet.class,
            LinkedHashSet.class,
            TreeSet.class);

    /** The methods that add or remove elements (structural changes), whatever interface they are called through. */
    static final Set<String> CHANGES = Set.of(
            "add",
            "addAll",
            "addFirst",
            "addLast",
            "offer",
            "offerFirst",
            "offerLast",
            "push",
            "pop",
            "poll",
            "pollFirst",
            "pollLast",
            "remove",
            "removeFirst",
            "removeLast",
            "removeIf",
            "removeAll",
            "retainAll",
            "clear",
            "put",
            "putAll",
            "putIfAbsent",
            "putFirst",
            "putLast",
            "merge",
            "compute",
            "computeIfAbsent",
            "computeIfPresent");

    /** The {@code java.util} types whose calls are routed (the call's owner, as compiled). */
    private static final Set<String> OWNERS = Set.of(
            "java/util/Collection",
            "java/util/List",
            "java/util/Set",
            "java/util/Queue",
            "java/util/Deque",
            "java/util/Map",
            "java/util/SequencedCollection",
            "java/util/SequencedMap",
            "java/util/SequencedSet",
            "java/util/SortedMap",
            "java/util/NavigableMap",
            "java/util/SortedSet",
            "java/util/NavigableSet",
            "java/util/AbstractCollection",
            "java/util/AbstractList",
            "java/util/AbstractMap",
            "java/util/AbstractSet",
            "java/util/AbstractQueue",
            "java/util/AbstractSequentialList",
            "java/util/HashMap",
            "java/util/LinkedHashMap",
            "java/util/TreeMap",
            "java/util/WeakHashMap",
            "java/util/IdentityHashMap",
            "java/util/ArrayList",
            "java/util/LinkedList",
            "java/util/ArrayDeque",
            "java/util/PriorityQueue",
            "java/util/HashSet",
            "java/util/LinkedHashSet",
            "java/util/TreeSet");

    /** The class file with each call of a change ({@link #CHANGES}) on a {@code java.util} type routed through {@link #mutation}. */
    static byte[] routed(byte[] original) {
        String self = SharedCollections.class.getName().replace('.', '/');
        Handle bootstrap = new Handle(
                Opcodes.H_INVOKESTATIC,
                self,
                "mutation",
                MethodType.methodType(
                                CallSite.class,
                                MethodHandles.Lookup.class,
                                String.class,
                                MethodType.class,
                                MethodHandle.class)
                        .toMethodDescriptorString(),
                false);
        return ClassFiles.rewritten(
                original,
                (name, method) -> name.equals("<clinit>")
                        ? method
                        : ClassFiles.calls(method, (out, opcode, owner, called, type, isInterface) -> {
                            if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE)
                                    && OWNERS.contains(owner)
                                    && CHANGES.contains(called)) {
                                Handle target = new Handle(
                                        isInterface ? Opcodes.H_INVOKEINTERFACE : Opcodes.H_INVOKEVIRTUAL,
                                        owner,
                                        called,
                                        type,
                                        isInterface);
                                out.visitInvokeDynamicInsn(
                                        called, "(L" + owner + ";" + type.substring(1), bootstrap, target);
                            } else {
                                out.visitMethodInsn(opcode, owner, called, type, isInterface);
                            }
                        }));
    }

    private static final MethodHandle ENTER;
    private static final MethodHandle EXIT_RETURNING;
    private static final MethodHandle EXIT;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            ENTER = lookup.findStatic(
                    SharedCollections.class, "enter", MethodType.methodType(void.class, Object.class, String.class));
            EXIT_RETURNING = lookup.findStatic(
                    SharedCollections.class,
                    "exit",
                    MethodType.methodType(Object.class, Throwable.class, Object.class, Object.class));
            EXIT = lookup.findStatic(
                    SharedCollections.class, "exit", MethodType.methodType(void.class, Throwable.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The bootstrap of each routed call: {@code target} (the collection's own method), with
     * {@link #enter} before and {@link #exit} after it, however it ends.
     */
    public static CallSite mutation(MethodHandles.Lookup caller, String name, MethodType type, MethodHandle target) {
        Class<?> receiver = type.parameterType(0);
        MethodHandle call = target.asType(type);
        MethodHandle enter =
                MethodHandles.insertArguments(ENTER, 1, name).asType(MethodType.methodType(void.class, receiver));
        enter = MethodHandles.dropArguments(enter, 1, type.parameterList().subList(1, type.parameterCount()));
        MethodHandle entered = MethodHandles.foldArguments(call, enter);
        MethodHandle exit = type.returnType() == void.class
                ? EXIT.asType(MethodType.methodType(void.class, Throwable.class, receiver))
                : EXIT_RETURNING.asType(
                        MethodType.methodType(type.returnType(), Throwable.class, type.returnType(), receiver));
        return new ConstantCallSite(MethodHandles.tryFinally(entered, exit));
    }

    /** One thread at a change of a plain collection. */
    private static final class At {
        final Object collection;
        final String method;
        volatile boolean held = true; // false once let go into the change itself

        At(Object collection, String method) {
            this.collection = collection;
            this.method = method;
        }

        String what() {
            return collection.getClass().getSimpleName() + "." + method;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The watch of the run under way, or null: then every routed call goes straight through. */
    private static volatile Watch current;

    /** One run of {@code fetchAll} under watch; {@link #close()} ends it. */
    static final class Watch implements AutoCloseable {
        private final ThreadGroup group;
        private final int requests;
        private final CountDownLatch allInFlight;
        private final long deadline;
        private final Set<Thread> fetching = ConcurrentHashMap.newKeySet();
        private final Set<Thread> seen = ConcurrentHashMap.newKeySet();
        private final Set<Thread> fetched = ConcurrentHashMap.newKeySet();
        private final Map<Thread, At> at = new ConcurrentHashMap<>();
        private volatile Thread caller;
        private volatile String race;

        /**
         * @param group       the thread group of the caller (platform threads it starts are in it)
         * @param allInFlight counted down by each request; a fetch waits for it
         * @param bound       how long a thread is held at most (only a solution the watch cannot see through uses it up)
         */
        Watch(ThreadGroup group, int requests, CountDownLatch allInFlight, java.time.Duration bound) {
            this.group = group;
            this.requests = requests;
            this.allInFlight = allInFlight;
            this.deadline = System.nanoTime() + bound.toNanos();
            current = this;
        }

        void caller(Thread thread) {
            caller = thread;
        }

        /** Called by the fake fetcher around each fetch. */
        void fetching(Thread thread, boolean inside) {
            seen.add(thread);
            fetched.add(thread);
            if (inside) {
                fetching.add(thread);
            } else {
                fetching.remove(thread);
            }
        }

        /** @return the first race seen ("two threads were inside HashMap.put on the same HashMap at once"), or null */
        String race() {
            return race;
        }

        @Override
        public void close() {
            if (current == this) {
                current = null;
            }
        }

        void enter(Object collection, String method) {
            Thread me = Thread.currentThread();
            At mine = new At(collection, method);
            at.put(me, mine);
            seen.add(me);
            try {
                while (true) {
                    At other = sameCollection(me, collection);
                    if (other != null) {
                        if (race == null) {
                            race = other.what().equals(mine.what())
                                    ? mine.what()
                                    : other.what() + " and " + mine.what();
                        }
                        return;
                    }
                    if (race != null || current != this || System.nanoTime() > deadline) {
                        return;
                    }
                    if (othersStopped(me) && (me == caller || !unseenMayCome(me))) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a bounded poll, ended by a state
                }
            } finally {
                mine.held = false;
            }
        }

        void exit(Object collection) {
            Thread me = Thread.currentThread();
            At mine = at.get(me);
            if (mine != null && mine.collection == collection) {
                at.remove(me);
            }
        }

        private At sameCollection(Thread me, Object collection) {
            for (Map.Entry<Thread, At> e : at.entrySet()) {
                if (e.getKey() != me && e.getValue().collection == collection) {
                    return e.getValue();
                }
            }
            return null;
        }

        /**
         * A virtual thread held before its own fetch cannot tell the virtual threads not started
         * yet (the watch sees one only once it fetches or changes something): until every request
         * has begun, another may come. Platform threads are all seen (the caller's thread group).
         */
        private boolean unseenMayCome(Thread me) {
            return me.isVirtual() && !fetched.contains(me) && allInFlight.getCount() > 0;
        }

        private boolean othersStopped(Thread me) {
            Set<Thread> others = new HashSet<>(seen);
            Thread c = caller;
            if (c != null) {
                others.add(c);
            }
            Thread[] inGroup = new Thread[group.activeCount() + 8];
            int n = group.enumerate(inGroup, true);
            for (int i = 0; i < n; i++) {
                others.add(inGroup[i]);
            }
            others.remove(me);
            for (Thread t : others) {
                if (!stopped(t, new HashSet<>())) {
                    return false;
                }
            }
            return true;
        }

        /**
         * @return whether {@code t} cannot move until a held thread moves: it has ended (or not
         *     started), is held at a change, waits in a fetch for the others, or waits or is blocked
         *     on something no free thread will give it (a lock owned by a stopped thread; a join)
         */
        private boolean stopped(Thread t, Set<Thread> visited) {
            if (!visited.add(t)) {
                return true; // a cycle of owners: none can move
            }
            At where = at.get(t);
            if (where != null) {
                return where.held;
            }
            if (!t.isAlive()) {
                return true;
            }
            if (fetching.contains(t)) {
                return allInFlight.getCount() > 0; // once all are in flight, each fetch returns
            }
            Thread.State state = t.getState();
            if (state == Thread.State.RUNNABLE) {
                return false;
            }
            if (state == Thread.State.TERMINATED || state == Thread.State.NEW) {
                return true;
            }
            boolean onALock = state == Thread.State.BLOCKED || isALock(LockSupport.getBlocker(t));
            if (!onALock) {
                return true; // waits for an event (join, get, a condition): a stopped thread's
            }
            if (t.isVirtual()) {
                return true; // the JVM does not tell a virtual thread's lock owner: taken as a held thread's
            }
            ThreadInfo info = THREADS.getThreadInfo(t.threadId());
            if (info == null) {
                return true; // it has ended
            }
            long owner = info.getLockOwnerId();
            if (owner < 0) {
                return false; // the lock is free: it is about to take it
            }
            for (Thread o : Thread.getAllStackTraces().keySet()) {
                if (o.threadId() == owner) {
                    return stopped(o, visited);
                }
            }
            return false;
        }
    }

    /** @return whether a thread parked on {@code blocker} waits to take a lock (not for an event: a latch, a join) */
    private static boolean isALock(Object blocker) {
        return blocker instanceof AbstractOwnableSynchronizer
                && (blocker.getClass().getName().startsWith("java.util.concurrent.locks.ReentrantLock$")
                        || blocker.getClass()
                                .getName()
                                .startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$"));
    }

    static void enter(Object collection, String method) {
        Watch watch = current;
        if (watch != null && collection != null && PLAIN.contains(collection.getClass())) {
            watch.enter(collection, method);
        }
    }

    static Object exit(Throwable thrown, Object result, Object collection) {
        exit(thrown, collection);
        return result;
    }

    static void exit(Throwable thrown, Object collection) {
        Watch watch = current;
        if (watch != null) {
            watch.exit(collection);
        }
    }
}
