package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;

/**
 * YOUR SOLUTION GOES HERE: exercise 02.2 (the rules are in {@link StopTheNapper}'s javadoc).
 *
 * <p>Grade it with {@code ./threadlab check 02.2}, or {@code ./mvnw -q -pl 02-join-isalive -am verify -Plearn}.
 */
public final class YourStopTheNapper implements StopTheNapper {

    @Override
    public Thread startNapper(Sleeper sleeper, Duration nap) {
        throw new NotImplementedYet("in YourStopTheNapper.startNapper, start a thread that calls sleeper.sleep(nap)"
                + " again and again until it is interrupted, and return it");
    }

    @Override
    public void stop(Thread napper) throws InterruptedException {
        throw new NotImplementedYet("in YourStopTheNapper.stop, interrupt the napper, then join it");
    }
}
