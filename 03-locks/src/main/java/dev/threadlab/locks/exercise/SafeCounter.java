package dev.threadlab.locks.exercise;

/**
 * Exercise 03.1: a counter that many threads may increment at once without losing an update.
 * Write it in {@link YourSafeCounter}; grade it with {@code ./threadlab check 03.1}; take the hints
 * one at a time with {@code ./threadlab hint 03.1}.
 *
 * <p>The rules the grading checks (each a test of {@code SafeCounterSpec}, in this order):
 * <ol>
 *   <li><b>Counts every increment in one thread.</b> A new counter's {@link #get()} is 0, and
 *       after {@code n} calls of {@link #increment()} in one thread it is {@code n}.</li>
 *   <li><b>No increment is lost when two threads increment at once.</b> When two threads each call {@code increment()} once, at the same time,
 *       {@code get()} afterwards is 2, whatever the order in which their steps interleave. The test
 *       does not hope for a bad moment: it forces the orders. It loads your class again (in a class
 *       loader of its own for each run, so static fields, a static lock say, start afresh) with a
 *       pause point before each step of its code (each read or write of a field, each lock taken or
 *       released, each call); one thread is paused before its first step, then its second, and so
 *       on, one run each, while the other thread runs its whole {@code increment()} or waits for a
 *       lock (then the first goes on). {@code count++} is three steps (read, add, write): paused
 *       between the read and the write, it loses the other's update. Make them one step for every
 *       other thread: hold one lock shared by every call (in a field, of the counter or static, not
 *       a new lock per call; or {@code synchronized} methods) from before the read to after the
 *       write, or use an atomic variable. First, without the pauses, {@code increment()} runs in
 *       one thread, then in another: the second call must go ahead too (an {@code increment()}
 *       that leaves its lock held fails here).</li>
 *   <li><b>No call leaves a lock held.</b> After {@code get()} and {@code increment()} have returned in one thread,
 *       whatever the count, a call from another thread goes ahead at once (nothing else is running).
 *       Release a lock in {@code finally}, on every path, including early returns.</li>
 *   <li><b>get() reads the count under the lock that guards it.</b> A plain field (not
 *       {@code final}, not {@code volatile}) that a method of your class changes while holding a lock
 *       (a {@code synchronized} method or block, or a {@code Lock}'s {@code lock()}) is read while
 *       holding the same lock: a read without it, or under another lock, has no happens-before edge
 *       with the change, so another thread may see an old count (or, for a {@code long}, half of
 *       one). Which lock matters: a {@code synchronized} instance method or {@code synchronized
 *       (this)} locks the counter; a {@code static synchronized} method or {@code synchronized
 *       (X.class)} locks the class, a different lock; {@code synchronized (f)} locks the object in
 *       the field {@code f}; {@code f.lock()} the lock in {@code f} (a {@code ReadWriteLock}'s read
 *       lock counts as the same lock as its write lock). The grading reads this from your class
 *       file: a stale read is allowed, not certain, so no run can show it. A {@code volatile} field, or an
 *       {@code AtomicLong} or {@code LongAdder}, may be read without a lock.</li>
 * </ol>
 * A new instance is made for every check, through your class's no-argument constructor.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface SafeCounter {

    /** Adds 1 to the count, as one step for every other thread. */
    void increment();

    /** @return the count: the number of increments that have returned before this call */
    long get();
}
