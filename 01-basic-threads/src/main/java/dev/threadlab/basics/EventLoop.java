package dev.threadlab.basics;

import java.awt.EventQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An event loop: one thread that runs the events posted to it (a click, a timer tick, a repaint)
 * one at a time, in the order posted. A GUI toolkit keeps its screen on one such thread: Swing's
 * event dispatch thread, tkinter's {@code mainloop()}, a browser's main thread. While an event
 * runs, every later event waits; that is the freeze the lesson warns about.
 *
 * <p>Thread-safe: any thread may post.
 */
public interface EventLoop extends AutoCloseable {

    /** Queues {@code event} to run on the loop's thread, after the events already queued. */
    void post(Runnable event);

    /** @return what the loop is, for the demo's output */
    String description();

    /** Lets queued events finish and stops the loop (the Swing loop stops by itself when idle). */
    @Override
    void close();

    /**
     * Swing's event dispatch thread, the real thing, running headless (no window, no display
     * needed): {@code EventQueue.invokeLater} posts, as {@code SwingUtilities.invokeLater} does.
     * Sets {@code java.awt.headless=true} unless it was set already, so call it before anything
     * else touches AWT. The dispatch thread ({@code AWT-EventQueue-0}) starts with the first event
     * and ends by itself about a second after the queue runs empty.
     */
    static EventLoop swing() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return new EventLoop() {
            @Override
            public void post(Runnable event) {
                EventQueue.invokeLater(event);
            }

            @Override
            public String description() {
                return "Swing's event dispatch thread"
                        + (java.awt.GraphicsEnvironment.isHeadless() ? " (headless)" : "");
            }

            @Override
            public void close() {
                // nothing to stop: AWT ends the dispatch thread once it is idle
            }
        };
    }

    /**
     * A plain event loop: one platform thread named {@code event-loop} taking events from a queue,
     * which is all Swing's dispatch thread is underneath.
     */
    static EventLoop plain() {
        ExecutorService loop = Executors.newSingleThreadExecutor(event -> new Thread(event, "event-loop"));
        return new EventLoop() {
            @Override
            public void post(Runnable event) {
                loop.execute(event);
            }

            @Override
            public String description() {
                return "a plain event loop (one thread, one queue)";
            }

            @Override
            public void close() {
                loop.close(); // runs what is queued, then the thread ends
            }
        };
    }
}
