package dev.threadlab.basics.exercise;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Exercise 01.2: the lesson's "why use threading" — I/O-bound work. Fetching ten URLs one after
 * the other waits ten times; on ten threads the waits overlap. Write your solution in
 * {@link YourFetchAll}.
 *
 * <p>The rules the grading checks, one test of {@code FetchAllSpec} each, in this order:
 *
 * <ol>
 *   <li><b>All at once.</b> Every request is in flight at the same time: start them all before
 *       waiting for any (a fetch may block until the others have started).</li>
 *   <li><b>Request order.</b> The result list has one {@link Response} per URL, in the order of
 *       {@code urls}, whatever order the requests finish in: index {@code i} holds the result of
 *       request {@code i}.</li>
 *   <li><b>A failure loses nothing.</b> A request whose fetch throws, whatever it throws (an
 *       {@code IOException}, an {@code InterruptedException}, a {@code RuntimeException}), gives
 *       {@link Response#failed(URI, String)} with the exception's message for that request; the
 *       other responses are still returned, no entry is ever {@code null}, and {@code fetchAll}
 *       itself does not throw for it.</li>
 *   <li><b>Done means done.</b> {@code fetchAll} returns only once every fetch has finished,
 *       however long one takes (no timeout that gives up on a slow request); no thread it started
 *       is still running, and a pool it made is shut down. A timed wait ({@code join(ms)},
 *       {@code join(Duration)}, {@code get(timeout, unit)}, {@code awaitTermination},
 *       {@code CountDownLatch.await(timeout, unit)}) may run out
 *       before its request ends, whatever its length, and the grading makes it run out at once: a
 *       wait that is not entered again until the request is done gives up on it, be it 50 ms or 5 s
 *       (and a slow request is not cancelled); a loop that waits again until it is done is a wait
 *       for it, and a loop that gives up after fewer than 64 tries is a give-up.</li>
 *   <li><b>An interrupt stops everything.</b> If the calling thread is interrupted while
 *       {@code fetchAll} waits, {@code fetchAll} stops waiting for results: it interrupts the fetches
 *       still running (a pool's {@code shutdownNow()} does that), waits until their threads have
 *       ended, and throws {@link InterruptedException}. It neither swallows the interrupt nor leaves
 *       a fetch running. Waiting for them means a wait with no time limit, or one entered again until
 *       they have ended: one {@code awaitTermination(1, DAYS)} whose result is ignored gives up (see
 *       rule 4).</li>
 *   <li><b>Nothing to fetch.</b> An empty list gives an empty result, and fetches nothing.</li>
 *   <li><b>One plain collection, one thread at a time.</b> No two threads add to or remove from
 *       the same plain {@code java.util} collection or map ({@code HashMap}, {@code ArrayList},
 *       {@code HashSet}, {@code TreeMap}, {@code ArrayDeque}, … : not thread-safe) at the same
 *       time: a {@code put} or {@code add} that runs beside another can be lost. The grading holds
 *       each thread at such a call until the others have stopped; two held at once on one
 *       collection fail the rule. Use a {@code ConcurrentHashMap}, make each change under one lock
 *       that every thread takes, or give each request its own slot of an array (or a
 *       {@code Future}).</li>
 * </ol>
 *
 * <p>Any way of starting threads is fine: {@code Thread}, {@code Thread.ofVirtual()}, or an
 * {@code ExecutorService} closed before returning (try-with-resources; mind that its
 * {@code close()} waits for every task, so after an interrupt call {@code shutdownNow()} first).
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface FetchAll {

    /** Fetches one URL: in the demo an HTTP GET; in the grading a fake that the test controls. */
    @FunctionalInterface
    interface Fetcher {
        /**
         * @return the body of the response
         * @throws IOException          if the request failed
         * @throws InterruptedException if the fetch's thread was interrupted (it then stops at once)
         */
        String fetch(URI url) throws IOException, InterruptedException;
    }

    /** What one request gave: its body, or the message of why it failed. */
    record Response(URI url, String body, String error) {
        public Response {
            Objects.requireNonNull(url, "url");
        }

        /** @return a response that succeeded with {@code body} */
        public static Response ok(URI url, String body) {
            return new Response(url, Objects.requireNonNull(body, "body"), null);
        }

        /** @return a response that failed, saying why */
        public static Response failed(URI url, String error) {
            return new Response(url, null, String.valueOf(error));
        }

        /** @return true if this request failed */
        public boolean isFailure() {
            return error != null;
        }
    }

    /**
     * Fetches every URL in {@code urls} at the same time with {@code fetcher}, and returns one
     * response per URL, in request order (see the rules above).
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting; the fetches
     *                              still running have then been interrupted and have ended (rule 5)
     */
    List<Response> fetchAll(List<URI> urls, Fetcher fetcher) throws InterruptedException;
}
