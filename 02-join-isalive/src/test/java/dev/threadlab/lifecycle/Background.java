package dev.threadlab.lifecycle;

import java.util.concurrent.Callable;
import net.jcip.annotations.ThreadSafe;

/**
 * Runs a piece of a demo on a named platform thread of its own, so that a test can watch that
 * thread wait (with Awaitility, on {@link Thread#getState()}) and then collect what it returned.
 *
 * @param <T> what the piece returns
 */
@ThreadSafe
final class Background<T> {

    private final Thread thread;
    private volatile T result;
    private volatile Throwable failure;

    private Background(String name, Callable<T> body) {
        thread = Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                result = body.call();
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    /** Starts {@code body} on a new platform thread named {@code name}. */
    static <T> Background<T> start(String name, Callable<T> body) {
        Background<T> background = new Background<>(name, body);
        background.thread.start();
        return background;
    }

    /** @return the thread running the body */
    Thread thread() {
        return thread;
    }

    /**
     * Waits for the body to end (the test's timeout bounds the wait) and returns its result.
     *
     * @throws AssertionError wrapping what the body threw
     */
    T join() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new AssertionError(thread.getName() + " threw " + failure, failure);
        }
        return result;
    }
}
