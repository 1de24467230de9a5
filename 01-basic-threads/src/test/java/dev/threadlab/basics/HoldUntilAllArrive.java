package dev.threadlab.basics;

import dev.threadlab.basics.harness.SlowServer;
import dev.threadlab.common.time.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SlowServer} delay that proves requests were sent concurrently, by construction: each
 * request is held at the server until {@code expected} requests are held together, so a client
 * that overlaps its requests gets them all answered at once, and one that sends them one after the
 * other cannot: its first request waits out {@code bound}, is answered, and the failure is
 * recorded with how many requests had arrived by then (later requests are then not held).
 */
final class HoldUntilAllArrive implements Sleeper {

    private final int expected;
    private final Duration bound;
    private final CountDownLatch arrived;
    private final AtomicReference<String> failure = new AtomicReference<>();

    HoldUntilAllArrive(int expected, Duration bound) {
        this.expected = expected;
        this.bound = bound;
        this.arrived = new CountDownLatch(expected);
    }

    @Override
    public void sleep(Duration ignored) throws InterruptedException {
        arrived.countDown();
        if (failure.get() != null) {
            return; // already failed: the rest are not held, so a wrong client costs one bound, not one per request
        }
        if (!arrived.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            long together = expected - arrived.getCount(); // read once
            failure.compareAndSet(
                    null,
                    String.format(
                            "a request was held %d ms at the server and only %d of %d requests "
                                    + "arrived meanwhile: the requests were not in flight at the same time (sent one after the other?)",
                            bound.toMillis(), together, expected));
        }
    }

    /** @return why the requests were not all held together, or empty if they were */
    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }
}
