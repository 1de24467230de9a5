package dev.threadlab.daemon.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 04.1 (the rules are in {@link Heartbeat}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 04.1}, or {@code ./mvnw -q -pl 04-daemon -am verify -Plearn};
 * take the hints one at a time with {@code ./threadlab hint 04.1}.
 */
public final class YourHeartbeat implements Heartbeat {

    @Override
    public void start(Runnable beat, Duration every, Sleeper sleeper) {
        throw new NotImplementedYet("in YourHeartbeat.start, start a daemon thread that loops: beat.run(), then "
                + "sleeper.sleep(every), until the sleep throws InterruptedException");
    }
}
