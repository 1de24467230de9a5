package dev.threadlab.gil.solution;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.gil.exercise.OneAtATime;
import java.util.ArrayList;
import java.util.List;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference solution of exercise 05.1 (spoilers): the simplest GIL. Every thread takes the next
 * task and runs it inside {@code synchronized (gil)}, so one thread runs at a time; the monitor is
 * released however the block ends, also when a task throws. Like the naive GILs of
 * {@code LockPerChunkGil}, it is unfair: the thread that just left the block may take it again at
 * once (exercise 05.3 is CPython's cure).
 *
 * <p>Thread-safety: stateless; each call has its own GIL and its own index.
 */
@ThreadSafe
public final class ReferenceOneAtATime implements OneAtATime {

    /** One call's shared state: the GIL and the next task to take. */
    private static final class Tasks {
        private final Object gil = new Object();
        private final List<Runnable> tasks;

        @GuardedBy("gil")
        private int next;

        Tasks(List<Runnable> tasks) {
            this.tasks = tasks;
        }

        /** A thread's loop: take the next task and run it, holding the GIL, until none is left. */
        void work() {
            while (true) {
                synchronized (gil) {
                    if (next == tasks.size()) {
                        return;
                    }
                    Runnable task = tasks.get(next++);
                    try {
                        task.run();
                    } catch (RuntimeException e) { // the task's own failure: report it, go on with the next
                        Thread me = Thread.currentThread();
                        me.getUncaughtExceptionHandler().uncaughtException(me, e);
                    }
                }
            }
        }
    }

    @Override
    public void runAll(List<Runnable> tasks, int threads) throws InterruptedException {
        Tasks shared = new Tasks(tasks);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().start(shared::work));
        }
        for (Thread thread : started) {
            thread.join();
        }
    }
}
