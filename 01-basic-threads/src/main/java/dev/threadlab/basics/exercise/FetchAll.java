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
 * <p>The rules (each one is a rule of the grading):
 *
 * <ol>
 *   <li><b>All at once.</b> Every request is in flight at the same time: start them all before
 *       waiting for any (a fetch may block until the others have started).</li>
 *   <li><b>Request order.</b> The result list has one {@link Response} per URL, in the order of
 *       {@code urls}, whatever order the requests finish in.</li>
 *   <li><b>A failure loses nothing.</b> A request whose fetch throws gives
 *       {@link Response#failed(URI, String)} in its place, with the exception's message; the other
 *       responses are still returned, and {@code fetchAll} itself does not throw for it.</li>
 *   <li><b>Done means done.</b> {@code fetchAll} returns only once every fetch has finished; no
 *       thread it started is still running.</li>
 *   <li>An empty list gives an empty result.</li>
 * </ol>
 *
 * <p>Any way of starting threads is fine: {@code Thread}, {@code Thread.ofVirtual()}, or an
 * {@code ExecutorService} closed before returning (try-with-resources).
 */
public interface FetchAll {

    /** Fetches one URL: in the demo an HTTP GET; in the grading a fake that the test controls. */
    @FunctionalInterface
    interface Fetcher {
        /**
         * @return the body of the response
         * @throws IOException if the request failed
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
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    List<Response> fetchAll(List<URI> urls, Fetcher fetcher) throws InterruptedException;
}
