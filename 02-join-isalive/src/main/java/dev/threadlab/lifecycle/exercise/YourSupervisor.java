package dev.threadlab.lifecycle.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * YOUR SOLUTION GOES HERE: exercise 02.3, the capstone after 02.1 and 02.2. Write {@link #supervise}
 * so that it keeps every rule listed in {@link Supervisor}'s javadoc, then grade it with
 * {@code ./threadlab check 02.3}, or:
 *
 * <pre>./mvnw -q -pl 02-join-isalive -am verify -Plearn</pre>
 *
 * <p>Steps: start one named thread per task (catch what the task throws inside the thread); read
 * the ticker once for the deadline; join each worker for the time left; interrupt and join the
 * ones still alive; build the account in task order. Hints: {@code ./threadlab hint 02.3}.
 */
public final class YourSupervisor implements Supervisor {

    @Override
    public <T> List<Outcome<T>> supervise(List<Callable<T>> tasks, Duration timeout, Ticker ticker)
            throws InterruptedException {
        throw new NotImplementedYet("in YourSupervisor.supervise, start one thread per task, join them all against one shared"
                + " deadline, interrupt and join the late ones, and return one Outcome per task");
    }
}
