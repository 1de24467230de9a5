package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 04.1 (see {@link Heartbeat} and the module README).
 *
 * <p>Grade it with {@code ./threadlab check 04.1}, or {@code ./mvnw -q -pl 04-daemon -am verify -Plearn}.
 */
public final class YourHeartbeat implements Heartbeat {

    @Override
    public void start(Runnable beat, Duration every, Sleeper sleeper) {
        throw new NotImplementedYet("in YourHeartbeat.start, start a daemon thread that loops: beat.run(), then "
                + "sleeper.sleep(every), until the sleep throws InterruptedException");
    }
}
