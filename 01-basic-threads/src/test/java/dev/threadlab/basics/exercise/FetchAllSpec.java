package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.FetchAll.Fetcher;
import dev.threadlab.basics.exercise.FetchAll.Response;
import dev.threadlab.basics.exercise.FetchRoom.Kind;
import dev.threadlab.basics.exercise.FetchRoom.Request;
import dev.threadlab.basics.solution.ReferenceFetchAll;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.GradedExercise;
import dev.threadlab.common.testsupport.Grading;
import dev.threadlab.common.testsupport.Solution;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.SteppedClasses;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.testsupport.Words;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The grading specification of exercise 01.2 ({@link FetchAll}), one test per rule of its javadoc,
 * in order. The fetcher is a fake the test controls, so each rule decides by construction:
 * requests that wait for each other, that finish in reverse order, that fail, that are held until
 * the caller waits for them ({@link FetchRoom}), or that run until interrupted. Rule 7 loads the
 * solution again with each change of a plain {@code java.util} collection held until the other
 * threads have stopped ({@link SharedCollections}): two threads held at one collection is a race.
 */
@GradedExercise(
        value = "01.2 fetch every URL at the same time",
        learner = YourFetchAll.class,
        reference = ReferenceFetchAll.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(30)
class FetchAllSpec {

    private FetchRoom room;

    @AfterEach
    void nothingOutlivesTheRule() {
        if (room != null) {
            room.close();
        }
    }

    private static final int REQUESTS = 4;

    /** The fix for responses out of order, or lost. */
    static final String IN_ORDER = "give request i its own slot i of an array, or collect the Futures in request"
            + " order and get() them in that order";

    private static List<URI> urls(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> URI.create("http://localhost/page-" + i))
                .toList();
    }

    private static String bodyOf(URI url) {
        return "body of " + url.getPath();
    }

    /** What a timed wait means in the grading ({@link TimedWaits}), as the messages say it. */
    static final String TIMED_WAIT = "a join(ms), get(timeout) or awaitTermination counts as a wait that runs out at"
            + " once, whatever its length, unless fetchAll waits again until what it waits for is done";

    /**
     * {@code solution} loaded again with its timed waits routed through {@link TimedWaits}: the
     * first {@code TimedWaitRouting.TRIES - 1} timed waits on something still running run out at
     * once, the {@code TRIES}th has no time limit. Decides what a timed wait means by construction, not by how long it lasted.
     */
    static FetchAll withTimedWaitsRouted(FetchAll solution) {
        return TimedWaits.routed(solution, FetchAll.class);
    }

    @Test
    @Order(1)
    @DisplayName("1. All at once")
    void everyRequestIsInFlightAtTheSameTime(@Solution FetchAll solution) throws InterruptedException {
        CountDownLatch allInFlight = new CountDownLatch(REQUESTS);
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger(); // after one request gave up waiting, the others don't wait
        Meeting meeting = new Meeting();
        Fetcher waitsForTheOthers = url -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            allInFlight.countDown();
            try {
                if (gaveUp.get() == 0 && !meeting.await(allInFlight)) {
                    gaveUp.incrementAndGet();
                }
            } finally {
                inFlight.decrementAndGet();
            }
            return bodyOf(url);
        };

        solution.fetchAll(urls(REQUESTS), waitsForTheOthers);

        int most = mostInFlight.get();
        if (most != REQUESTS) {
            throw new AssertionError(
                    "at most " + most + " of " + REQUESTS + " requests " + Words.was(most) + " in flight"
                            + " at once: start every request before waiting for any (one thread per request; a pool needs as"
                            + " many threads as requests)");
        }
    }

    @Test
    @Order(2)
    @DisplayName("2. Request order")
    void responsesAreInRequestOrderWhateverOrderTheyFinishIn(@Solution FetchAll solution) throws InterruptedException {
        // Request i finishes only after request i+1 has finished: the last URL finishes first.
        List<URI> urls = urls(REQUESTS);
        List<CountDownLatch> finished = IntStream.range(0, REQUESTS)
                .mapToObj(i -> new CountDownLatch(1))
                .toList();
        Set<Integer> gaveUp = ConcurrentHashMap.newKeySet();
        Meeting meeting = new Meeting();
        Fetcher finishesInReverse = url -> {
            int i = urls.indexOf(url);
            try {
                if (i + 1 < REQUESTS && gaveUp.isEmpty() && !meeting.await(finished.get(i + 1))) {
                    gaveUp.add(i);
                }
                return bodyOf(url);
            } finally {
                finished.get(i).countDown();
            }
        };

        List<Response> responses = solution.fetchAll(urls, finishesInReverse);

        if (!gaveUp.isEmpty()) {
            throw new AssertionError("requests waited in vain for the next one to finish: they did not run at the same"
                    + " time; start every request before waiting for any");
        }
        assertOneResponsePerUrl(responses, urls, true);
        List<URI> order = responses.stream().map(Response::url).toList();
        if (!order.equals(urls)) {
            throw new AssertionError("the responses are in the order " + paths(order) + ", but the requests were "
                    + paths(urls) + " (they finished last-first): results go in request order, whatever order the"
                    + " requests finish in (index i holds request i's result): " + IN_ORDER
                    + " (a shared list that each"
                    + " thread adds to as it finishes is in finishing order)");
        }
        for (Response response : responses) {
            if (response.isFailure() || !bodyOf(response.url()).equals(response.body())) {
                throw new AssertionError("the response for " + response.url().getPath() + " should be Response.ok"
                        + " with its fetch's body \"" + bodyOf(response.url()) + "\", but it was " + response);
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("3. A failure loses nothing")
    void aFailedRequestGivesResponseFailedWhateverItThrew(@Solution FetchAll solution) throws InterruptedException {
        room = new FetchRoom(Kind.RETURNS, Kind.RETURNS, Kind.RETURNS, Kind.RETURNS, Kind.RETURNS);
        List<URI> urls = room.urls();
        Map<URI, Exception> failures = new LinkedHashMap<>();
        failures.put(
                urls.get(1),
                new IOException("connection refused: " + urls.get(1).getPath()));
        failures.put(
                urls.get(2),
                new IllegalStateException("bad gateway: " + urls.get(2).getPath()));
        failures.put(
                urls.get(3),
                new InterruptedException(
                        "cancelled by the server: " + urls.get(3).getPath()));
        Fetcher someFail = url -> {
            Exception failure = failures.get(url);
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof InterruptedException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return bodyOf(url);
        };
        String call = "fetchAll(" + urls.size() + " URLs, a fetcher whose requests for " + paths(failures.keySet())
                + " throw)";

        room.start(solution, someFail);
        room.awaitEnd(call);

        Throwable thrown = room.thrown();
        if (thrown != null) {
            throw new AssertionError(
                    "fetchAll threw " + thrown + " when some of its requests failed (" + described(failures)
                            + "): a request's failure is that request's response. Catch it for that request alone (the"
                            + " ExecutionException from Future.get(), or any Exception in the request's thread) and put"
                            + " Response.failed(url, message) in its place; the other responses must still be returned",
                    thrown);
        }
        List<Response> responses = room.result(call);
        if (responses != null) {
            for (URI url : failures.keySet()) { // a failed request with no response: say what it threw
                if (responseFor(responses, url) == null) {
                    throw new AssertionError("the request for " + url.getPath() + " threw " + failures.get(url)
                            + ", and its response is missing or null: whatever a fetch throws (IOException,"
                            + " InterruptedException, a RuntimeException), its request gives Response.failed(url,"
                            + " e.getMessage()) in its place. Catch it for that request alone (in a thread of your own,"
                            + " catch Exception, not only IOException; with Futures, catch the ExecutionException and use"
                            + " e.getCause().getMessage()) and keep the failed response");
                }
            }
        }
        assertOneResponsePerUrl(responses, urls, false);
        for (URI url : urls) {
            Response response = responseFor(responses, url);
            Exception failure = failures.get(url);
            if (response == null) {
                throw new AssertionError("the response for " + url.getPath() + ", which succeeded, is missing or null:"
                        + " every request gives a Response. Threads that add to one shared ArrayList can lose or blank"
                        + " entries (it is not thread-safe): " + IN_ORDER);
            }
            if (failure == null) {
                if (response.isFailure() || !bodyOf(url).equals(response.body())) {
                    throw new AssertionError("the response for " + url.getPath() + " succeeded, but was lost or changed"
                            + " when other requests failed: it should be Response.ok with \"" + bodyOf(url)
                            + "\", not " + response);
                }
            } else if (!response.isFailure()) {
                throw new AssertionError("the request for " + url.getPath() + " threw " + failure + ", but its response"
                        + " says it succeeded: use Response.failed(url, message)");
            } else if (!String.valueOf(response.error()).contains(failure.getMessage())) {
                throw new AssertionError("the request for " + url.getPath() + " threw " + failure + ", but its failed"
                        + " response says \"" + response.error() + "\": give it the exception's message"
                        + " (e.getMessage(); from an ExecutionException, e.getCause().getMessage())");
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("4. Done means done")
    void fetchAllReturnsOnlyOnceEveryRequestHasFinished(@Solution FetchAll solution) throws InterruptedException {
        room = new FetchRoom(Kind.SLOW, Kind.RETURNS, Kind.RETURNS);
        String call = "fetchAll(3 URLs), with the request for /page-0 slow,";

        room.start(withTimedWaitsRouted(solution));
        room.driveUntilEnd(call);

        List<Response> responses = room.result(call);
        URI slowUrl = room.urls().get(0);
        Request slow = room.startedAtEnd().stream()
                .filter(r -> r.index == 0)
                .findFirst()
                .orElse(null);
        // Each of these means that fetchAll ended without the slow request's result, whatever the
        // timing: it had not begun when fetchAll ended, it had not finished, or it was interrupted (a slow request only
        // ever
        // finishes by returning its body once fetchAll waits for it, or by throwing when interrupted,
        // which it records before it finishes). Its thread's flag is not read: a pool's close()
        // interrupts its idle threads once their tasks are done.
        if (slow == null || room.unfinishedAtEnd().contains(slow) || slow.interrupted) {
            Response given = responses == null ? null : responseFor(responses, slowUrl);
            throw new AssertionError("fetchAll returned without the result of the request for /page-0, which was"
                    + " slow: it gave up on it" + (given == null ? "" : " (its response was " + given + ")")
                    + ". The grader let the request finish only once fetchAll waited for it"
                    + (room.callerGaveUpOnATimedWait() ? "; " + TIMED_WAIT : "") + ". Wait"
                    + " for every request to finish, however"
                    + " long it takes: join() each thread, or get() each Future, with no timeout; and cancel nothing"
                    + " (no cancel(true) or shutdownNow()) unless fetchAll itself is interrupted");
        }
        List<Request> unfinished = room.unfinishedAtEnd();
        if (!unfinished.isEmpty()) {
            Response given = responses == null ? null : responseFor(responses, unfinished.get(0).url);
            throw new AssertionError("fetchAll returned while the request for " + FetchRoom.paths(unfinished)
                    + " was still running" + (given == null ? "" : "; its response was " + given) + ": wait for"
                    + " every request to finish, however long it takes: join() each thread, or get() each Future,"
                    + " with no timeout");
        }
        List<Thread> left = room.leftBehind();
        if (!left.isEmpty()) {
            throw new AssertionError("fetchAll returned, and " + Words.of(left.size(), "thread") + " it started "
                    + Words.was(left.size()) + " still running: "
                    + left.stream().map(ThreadDumps::describe).collect(Collectors.joining("; "))
                    + ". A pool's threads wait for more tasks until the pool is shut down: make the pool in"
                    + " try-with-resources (its close() waits for the tasks, then ends its threads), or call"
                    + " shutdown(), then awaitTermination() until it returns true, before returning");
        }
    }

    @Test
    @Order(5)
    @DisplayName("5. An interrupt stops everything")
    void interruptingTheCallerStopsEveryRequestAndThrows(@Solution FetchAll solution) throws InterruptedException {
        room = new FetchRoom(Kind.UNTIL_INTERRUPTED, Kind.UNTIL_INTERRUPTED, Kind.UNTIL_INTERRUPTED);
        String call = "fetchAll(3 URLs), with requests that run until interrupted,";

        room.start(withTimedWaitsRouted(solution));
        String swallowed = room.interruptAndDrive(call);

        if (swallowed != null) {
            throw new AssertionError(swallowed);
        }
        Throwable thrown = room.thrown();
        if (!room.interruptSent()) {
            // Not this rule's mistake: fetchAll stopped waiting for requests still running, which rule 4
            // states; told as rule 4's, so that the report blames rule 4 for it.
            throw new AssertionError(Grading.mistakeOfRule(
                    4,
                    "fetchAll " + (thrown == null ? "returned" : "threw " + thrown) + " before it could be"
                            + " interrupted, though its requests run until they are interrupted: it gave up on them"
                            + (room.callerGaveUpOnATimedWait() ? " (" + TIMED_WAIT + ")" : "")
                            + ". That is rule 4's mistake (4. Done means done), seen again here, not a fault of how"
                            + " fetchAll handles an interrupt: wait for every request with no timeout, until fetchAll"
                            + " itself is interrupted"));
        }
        if (!(thrown instanceof InterruptedException)) {
            throw new AssertionError("the caller was interrupted while fetchAll waited, so fetchAll must throw"
                    + " InterruptedException, but it " + (thrown == null ? "returned" : "threw " + thrown)
                    + ": let the InterruptedException from join() or get() propagate (after stopping the requests), not"
                    + " caught and not wrapped");
        }
        List<Request> unfinished = room.unfinishedAtEnd();
        List<Request> neverInterrupted =
                unfinished.stream().filter(r -> !r.wasInterrupted()).toList();
        if (!neverInterrupted.isEmpty()) {
            throw new AssertionError("fetchAll threw InterruptedException, but left the requests for "
                    + FetchRoom.paths(neverInterrupted)
                    + " running, never interrupted (they run until they are): before"
                    + " throwing, interrupt the requests still running (pool.shutdownNow(), or interrupt() each thread)"
                    + " and wait for them to end (join() each thread, or the pool's close())");
        }
        if (!unfinished.isEmpty()) {
            throw new AssertionError("fetchAll threw InterruptedException while the requests for "
                    + FetchRoom.paths(unfinished) + " were still ending after their interrupt (the grader let each"
                    + " end only once fetchAll waited for it"
                    + (room.callerGaveUpOnATimedWait() ? "; " + TIMED_WAIT : "")
                    + "): after interrupting them, wait for"
                    + " their threads to end (join() each thread, the pool's close(), or awaitTermination() until it"
                    + " returns true), then throw");
        }
    }

    @Test
    @Order(6)
    @DisplayName("6. Nothing to fetch")
    void noUrlsGiveNoResponses(@Solution FetchAll solution) throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        List<Response> responses = solution.fetchAll(List.of(), url -> {
            calls.incrementAndGet();
            return "";
        });

        if (responses == null || !responses.isEmpty()) {
            throw new AssertionError("fetchAll of no URLs returned " + responses + ": return an empty list");
        }
        if (calls.get() != 0) {
            throw new AssertionError(
                    "fetchAll of no URLs fetched " + Words.of(calls.get(), "time") + ": fetch nothing");
        }
    }

    @Test
    @Order(7)
    @DisplayName("7. One plain collection, one thread at a time")
    void noTwoThreadsChangeOnePlainCollectionAtOnce(@Solution FetchAll solution) throws InterruptedException {
        // The solution loaded again with each change of a java.util collection routed through the
        // watch, which holds the thread at the change until the others have stopped: two threads
        // held at a change of the same plain collection is a race, by construction.
        FetchAll watched;
        try {
            watched = (FetchAll) SteppedClasses.reloaded(solution.getClass(), SharedCollections::routed)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            watched = solution; // a solution the grading cannot load again: run as it is, unwatched
        }
        FetchAll run = watched;
        List<URI> urls = urls(REQUESTS);
        CountDownLatch allInFlight = new CountDownLatch(REQUESTS);
        ThreadGroup group = new ThreadGroup("fetchAll watched") {
            @Override
            public void uncaughtException(Thread t, Throwable e) {
                // judged by the other rules
            }
        };
        Throwable[] thrown = {null};
        Meeting[] meeting = {null}; // made on the caller, before it calls fetchAll
        try (SharedCollections.Watch watch = new SharedCollections.Watch(group, REQUESTS, allInFlight, Meeting.BOUND)) {
            Fetcher meets = url -> {
                watch.fetching(Thread.currentThread(), true);
                allInFlight.countDown();
                try {
                    meeting[0].await(allInFlight); // every request in flight, then all return together
                } finally {
                    watch.fetching(Thread.currentThread(), false);
                }
                return bodyOf(url);
            };
            Thread caller = Thread.ofPlatform()
                    .group(group)
                    .name("caller")
                    .daemon(true)
                    .unstarted(() -> {
                        meeting[0] = new Meeting();
                        try {
                            run.fetchAll(urls, meets);
                        } catch (Throwable t) {
                            thrown[0] = t;
                        }
                    });
            watch.caller(caller);
            caller.start();
            if (!caller.join(Meeting.BOUND.plus(FetchRoom.PATIENCE))) {
                caller.interrupt();
                throw new SolutionHung("fetchAll(" + REQUESTS + " URLs) did not return within "
                        + Meeting.BOUND.plus(FetchRoom.PATIENCE).toSeconds() + " s, though every request returned"
                        + " as soon as all were in flight:\n  " + ThreadDumps.describe(caller));
            }
            if (thrown[0] instanceof NotImplementedYet notYet) {
                throw notYet;
            }
            String race = watch.race();
            if (race != null) {
                throw new AssertionError(raceMessage(race));
            }
        }
    }

    /** The message of rule 7, for two threads seen inside {@code what} ("HashMap.put") on one collection at once. */
    static String raceMessage(String what) {
        String kind = what.substring(0, what.indexOf('.'));
        boolean map = kind.endsWith("Map");
        return "two threads were inside " + what + " on the same " + kind + " at once (the grading held each"
                + " thread at such a call until the others had stopped, and nothing kept these two apart): "
                + ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind
                + " is not thread-safe, so one thread's change can be lost, or break the other's. "
                + (map
                        ? "Use a ConcurrentHashMap, put under one lock that every thread takes (synchronized (map)),"
                        : "Change it under one lock that every thread takes (synchronized on the collection itself),")
                + " or let each thread write only its own slot of an array (or use Futures)";
    }

    /** As many responses as URLs, none null (where nulls are judged): the message names what is wrong. */
    private static void assertOneResponsePerUrl(List<Response> responses, List<URI> urls, boolean nullsToo) {
        String sharedList = ". Threads that add to one shared ArrayList can lose or blank entries (it is not"
                + " thread-safe): " + IN_ORDER;
        if (responses == null) {
            throw new AssertionError("fetchAll returned null: return one Response per URL");
        }
        if (responses.size() != urls.size()) {
            throw new AssertionError("fetchAll returned " + Words.of(responses.size(), "response") + " for "
                    + urls.size() + " URLs: one response per URL, a failed request's too (Response.failed)"
                    + sharedList);
        }
        for (int i = 0; nullsToo && i < responses.size(); i++) {
            if (responses.get(i) == null) {
                throw new AssertionError("response " + i + " of " + urls.size() + " is null: every request gives a"
                        + " Response, Response.ok with its body, or Response.failed with the message of whatever its"
                        + " fetch threw" + sharedList);
            }
        }
    }

    private static Response responseFor(List<Response> responses, URI url) {
        return responses.stream()
                .filter(r -> r != null && url.equals(r.url()))
                .findFirst()
                .orElse(null);
    }

    private static String described(Map<URI, Exception> failures) {
        return failures.entrySet().stream()
                .map(e -> e.getKey().getPath() + " threw "
                        + e.getValue().getClass().getSimpleName())
                .collect(Collectors.joining(", "));
    }

    private static List<String> paths(java.util.Collection<URI> urls) {
        return urls.stream().map(u -> u == null ? "null" : u.getPath()).toList();
    }
}
