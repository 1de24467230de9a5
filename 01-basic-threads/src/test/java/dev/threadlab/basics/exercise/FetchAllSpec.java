package dev.threadlab.basics.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.basics.exercise.FetchAll.Fetcher;
import dev.threadlab.basics.exercise.FetchAll.Response;
import dev.threadlab.basics.solution.ReferenceFetchAll;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Solution;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The grading specification of exercise 01.2 ({@link FetchAll}). The fetcher is a fake the test
 * controls, so each rule decides by construction: requests that wait for each other, that finish
 * in reverse order, or that fail.
 */
@GradedExercise(
        value = "01.2 fetch every URL at the same time",
        learner = YourFetchAll.class,
        reference = ReferenceFetchAll.class)
@Timeout(30)
class FetchAllSpec {

    /**
     * How long a request waits for the others to be in flight. Started together they arrive within
     * milliseconds even on a loaded machine; requests made one after the other never do.
     */
    private static final Duration MEETING = Duration.ofSeconds(5);

    private static final int REQUESTS = 4;

    private static List<URI> urls(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> URI.create("http://localhost/page-" + i))
                .toList();
    }

    private static String bodyOf(URI url) {
        return "body of " + url.getPath();
    }

    @Test
    void everyRequestIsInFlightAtTheSameTime(@Solution FetchAll solution) throws InterruptedException {
        CountDownLatch allInFlight = new CountDownLatch(REQUESTS);
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger(); // after one request gave up waiting, the others don't wait
        Fetcher waitsForTheOthers = url -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            allInFlight.countDown();
            try {
                if (gaveUp.get() == 0 && !allInFlight.await(MEETING.toMillis(), TimeUnit.MILLISECONDS)) {
                    gaveUp.incrementAndGet();
                }
            } finally {
                inFlight.decrementAndGet();
            }
            return bodyOf(url);
        };

        solution.fetchAll(urls(REQUESTS), waitsForTheOthers);

        int most = mostInFlight.get();
        assertThat(most)
                .as(
                        "at most %d of %d requests were in flight at once: start every request before waiting for any "
                                + "(one thread per request; a pool needs as many threads as requests)",
                        most, REQUESTS)
                .isEqualTo(REQUESTS);
    }

    @Test
    void responsesAreInRequestOrderWhateverOrderTheyFinishIn(@Solution FetchAll solution) throws InterruptedException {
        // Request i finishes only after request i+1 has finished: the last URL finishes first.
        List<URI> urls = urls(REQUESTS);
        List<CountDownLatch> finished = IntStream.range(0, REQUESTS)
                .mapToObj(i -> new CountDownLatch(1))
                .toList();
        Set<Integer> gaveUp = ConcurrentHashMap.newKeySet();
        Fetcher finishesInReverse = url -> {
            int i = urls.indexOf(url);
            try {
                if (i + 1 < REQUESTS
                        && gaveUp.isEmpty()
                        && !finished.get(i + 1).await(MEETING.toMillis(), TimeUnit.MILLISECONDS)) {
                    gaveUp.add(i);
                }
                return bodyOf(url);
            } finally {
                finished.get(i).countDown();
            }
        };

        List<Response> responses = solution.fetchAll(urls, finishesInReverse);

        assertThat(gaveUp)
                .as("requests waited in vain for the next one to finish: they did not run at the same "
                        + "time; start every request before waiting for any")
                .isEmpty();
        assertThat(responses).as("fetchAll returned null").isNotNull();
        assertThat(responses.size())
                .as("fetchAll returned %d responses for %d URLs: one response per URL", responses.size(), REQUESTS)
                .isEqualTo(REQUESTS);
        List<URI> order =
                responses.stream().map(r -> r == null ? null : r.url()).toList();
        assertThat(order)
                .as(
                        "the responses came back in the order %s, but the requests were %s (they finished "
                                + "last-first): keep each response at its URL's index, not in the order the requests finish",
                        paths(order), paths(urls))
                .isEqualTo(urls);
        for (Response response : responses) {
            assertThat(response.isFailure())
                    .as(
                            "the request for %s succeeded, but its response says it failed: %s",
                            response.url().getPath(), response.error())
                    .isFalse();
            assertThat(response.body())
                    .as(
                            "the response for %s should carry its fetch's body",
                            response.url().getPath())
                    .isEqualTo(bodyOf(response.url()));
        }
    }

    @Test
    void aFailedRequestTakesItsPlaceAndLosesNoOtherResponse(@Solution FetchAll solution) throws InterruptedException {
        List<URI> urls = urls(REQUESTS);
        URI broken = urls.get(1);
        Fetcher oneFails = url -> {
            if (url.equals(broken)) {
                throw new IOException("connection refused: " + url.getPath());
            }
            return bodyOf(url);
        };

        List<Response> responses;
        try {
            responses = solution.fetchAll(urls, oneFails);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "fetchAll threw " + e + " because one request failed: catch the failure of "
                            + "that request (ExecutionException from Future.get, or the IOException in your thread) and put "
                            + "Response.failed(url, message) in its place; the other responses must still be returned",
                    e);
        }

        assertThat(responses.size())
                .as(
                        "fetchAll returned %d responses for %d URLs, one of which failed: a failed "
                                + "request still has its Response.failed in its place",
                        responses.size(), REQUESTS)
                .isEqualTo(REQUESTS);
        Response failed = responses.get(1);
        assertThat(failed.url())
                .as("response 1 should be for %s", broken.getPath())
                .isEqualTo(broken);
        assertThat(failed.isFailure())
                .as(
                        "the request for %s threw an IOException, but its response says it "
                                + "succeeded: use Response.failed(url, message)",
                        broken.getPath())
                .isTrue();
        assertThat(failed.error())
                .as("the failed response should carry the exception's message")
                .contains("connection refused");
        for (int i : new int[] {0, 2, 3}) {
            assertThat(responses.get(i).body())
                    .as(
                            "the response for %s was lost or changed when another request " + "failed",
                            urls.get(i).getPath())
                    .isEqualTo(bodyOf(urls.get(i)));
        }
    }

    @Test
    void noUrlsGiveNoResponses(@Solution FetchAll solution) throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        List<Response> responses = solution.fetchAll(List.of(), url -> {
            calls.incrementAndGet();
            return "";
        });

        assertThat(responses)
                .as("fetchAll of no URLs should return an empty list")
                .isNotNull()
                .isEmpty();
        assertThat(calls.get()).as("fetchAll of no URLs should fetch nothing").isZero();
    }

    private static List<String> paths(List<URI> urls) {
        return urls.stream().map(u -> u == null ? "null" : u.getPath()).toList();
    }
}
