package dev.threadlab.daemon.solution;

import dev.threadlab.common.time.Sleeper;
import dev.threadlab.daemon.exercise.Heartbeat;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jcip.annotations.ThreadSafe;

/**
 * SPOILER: the reference solution of exercise 04.1. One platform thread, made a daemon by its
 * builder (daemon status is set before {@code start()}, the only time it can be), so the program
 * can end while it beats. An interrupt during the sleep ends the loop, and with it the thread.
 */
@ThreadSafe
public final class ReferenceHeartbeat implements Heartbeat {

    private final AtomicBoolean started = new AtomicBoolean();

    @Override
    public void start(Runnable beat, Duration every, Sleeper sleeper) {
        Objects.requireNonNull(beat, "beat");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(sleeper, "sleeper");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this heartbeat was already started");
        }
        Thread.ofPlatform().name("heartbeat").daemon().start(() -> {
            try {
                while (true) {
                    beat.run();
                    sleeper.sleep(every);
                }
            } catch (InterruptedException stop) {
                // told to stop: the loop, and the thread, end here
            }
        });
    }
}
