package dev.threadlab.lifecycle.solution;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.lifecycle.exercise.StopTheNapper;
import java.time.Duration;
import net.jcip.annotations.ThreadSafe;

/**
 * The reference solution of exercise 02.2 (spoilers). The napper lets the
 * {@code InterruptedException} end its loop (the request is honoured by ending the thread); the
 * caller interrupts, then joins with no timeout, because an interrupted thread may take any time
 * to finish. Follows Goetz et al., <i>Java Concurrency in Practice</i>, 7.1 "Task cancellation".
 */
@ThreadSafe
public final class ReferenceStopTheNapper implements StopTheNapper {

    @Override
    public Thread startNapper(Sleeper sleeper, Duration nap) {
        return Thread.ofPlatform().name("napper").start(() -> {
            try {
                while (true) {
                    sleeper.sleep(nap);
                }
            } catch (InterruptedException asked) {
                // asked to stop: the loop is left, and the thread ends
            }
        });
    }

    @Override
    public void stop(Thread napper) throws InterruptedException {
        napper.interrupt();
        napper.join();
    }
}
