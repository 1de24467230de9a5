package dev.threadlab.basics.solution;

import dev.threadlab.basics.exercise.StartAndJoin;
import dev.threadlab.common.output.Console;
import java.util.ArrayList;
import java.util.List;

/** SPOILER: the reference solution of exercise 01. */
public final class ReferenceStartAndJoin implements StartAndJoin {

    @Override
    public void runAll(int threads, Runnable task, Console console) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        List<Thread> workers = new ArrayList<>();
        for (int n = 1; n <= threads; n++) {
            workers.add(new Thread(task, "worker-" + n));
        }
        // Start every thread before joining any: joining the first before starting the second
        // would run them one after the other.
        for (Thread worker : workers) {
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        console.println("Threads completed.");
    }
}
