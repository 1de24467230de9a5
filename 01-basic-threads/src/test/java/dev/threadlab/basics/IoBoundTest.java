package dev.threadlab.basics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.basics.Basics_04_IoBound.Fetch;
import dev.threadlab.basics.Basics_04_IoBound.Mode;
import dev.threadlab.basics.harness.SlowServer;
import dev.threadlab.common.testsupport.CliRun;
import dev.threadlab.common.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The I/O-bound demo: what each mode does with the requests, proven without timing anything. */
class IoBoundTest {

    private static final int REQUESTS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Sends through a real client and records, for each request, the thread that sent it. */
    private static final class RecordingFetch implements Fetch {
        final HttpClient client = Basics_04_IoBound.newClient();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger returned = new AtomicInteger();

        @Override
        public String get(URI uri) throws IOException, InterruptedException {
            threads.add(Thread.currentThread());
            try {
                return Basics_04_IoBound.get(client, uri, TIMEOUT);
            } finally {
                returned.incrementAndGet();
            }
        }
    }

    private static List<URI> items(SlowServer server, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(server::item).toList();
    }

    @ParameterizedTest
    @EnumSource(names = {"PLATFORM", "VIRTUAL"})
    void aThreadPerRequestHasEveryRequestInFlightAtOnce(Mode mode) throws Exception {
        HoldUntilAllArrive hold = new HoldUntilAllArrive(REQUESTS, Duration.ofSeconds(10));
        RecordingFetch fetch = new RecordingFetch();
        try (SlowServer server = SlowServer.start(Duration.ofSeconds(1), hold);
                fetch.client) {
            List<String> bodies = Basics_04_IoBound.fetchAll(mode, items(server, REQUESTS), fetch);

            assertThat(hold.failure()).as(() -> hold.failure().orElseThrow()).isEmpty();
            assertThat(server.maxHeldAtOnce())
                    .as("the server held at most %d of %d requests at once", server.maxHeldAtOnce(), REQUESTS)
                    .isEqualTo(REQUESTS);
            assertThat(bodies)
                    .as("every answer, in request order")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, REQUESTS)
                            .mapToObj(i -> "item " + i)
                            .toList());
            assertThat(server.answered()).as("requests the server answered").isEqualTo(REQUESTS);
            assertThat(fetch.returned)
                    .as("requests still running when fetchAll returned")
                    .hasValue(REQUESTS);
            assertThat(fetch.threads)
                    .as("threads that sent the requests")
                    .hasSize(REQUESTS)
                    .doesNotContain(Thread.currentThread())
                    .allMatch(t -> t.isVirtual() == (mode == Mode.VIRTUAL));
        }
        for (Thread thread : fetch.threads) {
            assertThat(thread.join(Duration.ofSeconds(10)))
                    .as("%s ended after its request", thread)
                    .isTrue();
        }
    }

    @Test
    void platformThreadsHaveAllEndedWhenFetchAllReturns() throws Exception {
        RecordingFetch fetch = new RecordingFetch();
        try (SlowServer server = SlowServer.start(Duration.ZERO, Sleeper.instant());
                fetch.client) {
            Basics_04_IoBound.fetchAll(Mode.PLATFORM, items(server, REQUESTS), fetch);

            assertThat(fetch.threads)
                    .as("request threads still alive after fetchAll returned (it joins them all)")
                    .noneMatch(Thread::isAlive);
        }
    }

    @Test
    void sequentialRequestsNeverOverlapAndRunOnTheCaller() throws Exception {
        RecordingFetch fetch = new RecordingFetch();
        try (SlowServer server = SlowServer.start(Duration.ofSeconds(1), Sleeper.instant());
                fetch.client) {
            List<String> bodies = Basics_04_IoBound.fetchAll(Mode.SEQUENTIAL, items(server, REQUESTS), fetch);

            assertThat(server.maxHeldAtOnce())
                    .as("requests held at once, one after the other")
                    .isEqualTo(1);
            assertThat(bodies).hasSize(REQUESTS).startsWith("item 1").endsWith("item " + REQUESTS);
            assertThat(fetch.threads).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void theHoldSaysPreciselyWhenRequestsWereNotInFlightTogether() throws Exception {
        HoldUntilAllArrive hold = new HoldUntilAllArrive(2, Duration.ofMillis(100));
        RecordingFetch fetch = new RecordingFetch();
        try (SlowServer server = SlowServer.start(Duration.ofSeconds(1), hold);
                fetch.client) {
            Basics_04_IoBound.fetchAll(Mode.SEQUENTIAL, items(server, 2), fetch);
        }

        assertThat(hold.failure())
                .hasValue("a request was held 100 ms at the server and only 1 of 2 requests arrived "
                        + "meanwhile: the requests were not in flight at the same time (sent one after the other?)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailedRequestIsReportedByNumberAndEveryOtherRequestIsStillAnswered(Mode mode) throws Exception {
        RecordingFetch fetch = new RecordingFetch();
        try (SlowServer server = SlowServer.start(Duration.ZERO, Sleeper.instant());
                fetch.client) {
            URI missing = server.base().resolve("/missing");
            List<URI> uris = List.of(server.item(1), server.item(2), missing, server.item(4));

            assertThatThrownBy(() -> Basics_04_IoBound.fetchAll(mode, uris, fetch))
                    .isInstanceOf(IOException.class)
                    .hasMessage("1 of 4 requests failed (numbers 3; the others were answered); the first: request 3 ("
                            + missing + "): the server answered 404 (no such item: /missing)");
            assertThat(server.answered()).as("requests the server answered").isEqualTo(4);
            assertThat(fetch.returned)
                    .as("requests finished when fetchAll threw")
                    .hasValue(4);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"PLATFORM", "VIRTUAL"})
    void interruptingTheCallerCancelsTheRequestsAndLeavesNoThreadBehind(Mode mode) throws Exception {
        CountDownLatch allHeld = new CountDownLatch(REQUESTS);
        Sleeper holdForever = duration -> {
            allHeld.countDown();
            new CountDownLatch(1).await(); // until the server closes (it interrupts what it holds)
        };
        RecordingFetch fetch = new RecordingFetch();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (SlowServer server = SlowServer.start(Duration.ofSeconds(1), holdForever);
                fetch.client) {
            Thread caller = Thread.ofPlatform().name("caller").start(() -> {
                try {
                    Basics_04_IoBound.fetchAll(mode, items(server, REQUESTS), fetch);
                } catch (Exception e) {
                    thrown.set(e);
                }
            });
            assertThat(allHeld.await(10, TimeUnit.SECONDS))
                    .as("all %d requests reached the server", REQUESTS)
                    .isTrue();

            caller.interrupt();

            assertThat(caller.join(Duration.ofSeconds(10)))
                    .as("fetchAll returned within 10 s of the interrupt")
                    .isTrue();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(fetch.returned)
                    .as("requests finished when fetchAll threw")
                    .hasValue(REQUESTS);
        }
        for (Thread thread : fetch.threads) {
            assertThat(thread.join(Duration.ofSeconds(10)))
                    .as("%s ended after its request", thread)
                    .isTrue();
        }
    }

    @Test
    void theDemoPrintsOneLinePerModeWithEveryRequestAnswered() {
        CliRun run = CliRun.of(new Basics_04_IoBound(), "--requests", "3", "--delay-ms", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("3 requests to http://127.0.0.1:")
                .containsPattern("one after the other +3/3 answered in .* at most  1 held")
                .containsPattern("a platform thread per request +3/3 answered")
                .containsPattern("a virtual thread per request +3/3 answered");
    }
}
