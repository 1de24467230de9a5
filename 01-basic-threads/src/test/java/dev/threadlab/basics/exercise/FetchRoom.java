package dev.threadlab.basics.exercise;

import dev.threadlab.basics.exercise.FetchAll.Fetcher;
import dev.threadlab.basics.exercise.FetchAll.Response;
import dev.threadlab.common.exercise.NotImplementedYet;
import dev.threadlab.common.testsupport.SolutionHung;
import dev.threadlab.common.testsupport.ThreadDumps;
import dev.threadlab.common.testsupport.Words;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jcip.annotations.ThreadSafe;

/**
 * The harness of {@link FetchAllSpec}'s rules 3 to 5: one call of {@code fetchAll(urls, fetcher)} on
 * a thread named "caller", in a thread group of its own (so the platform threads it starts, and the
 * pools it makes, can be counted), with a fake fetcher whose requests behave as the rule needs, and
 * a watch over the caller. Nothing waits for time to pass; the bounds ({@link #PATIENCE}) run out
 * only for a solution that hangs.
 *
 * <ul>
 *   <li>{@link Kind#SLOW}: the request is held until the caller is seen waiting for it with no
 *       time limit (in {@code join()} on its thread, or in a wait the JVM cannot tie to one thread:
 *       {@code Future.get()}, a virtual thread's {@code join}, a latch, a pool's {@code close()}). The
 *       solution's timed waits ({@code join(ms)}, {@code get(timeout)}, {@code awaitTermination}) are
 *       decided by construction in rules 4 and 5 ({@link TimedWaits}): the first on a request still
 *       running runs out at once, so a caller that gives up on it returns while it is certainly
 *       still running; one entered again has no time limit. A timed wait of another kind counts once
 *       it lasts {@link #GRACE} or is entered again. Interrupted, it stops (and that is recorded).</li>
 *   <li>{@link Kind#UNTIL_INTERRUPTED}: the request runs until its thread is interrupted; then it
 *       winds down, and ends (throwing {@code InterruptedException}) only once the caller waits for
 *       it, as above. A caller that interrupts and throws at once leaves it certainly running.</li>
 * </ul>
 * What is judged is recorded on the caller thread the moment {@code fetchAll} ends: which requests
 * had not finished by then. {@link #close()} ends every request and the caller.
 */
@ThreadSafe
final class FetchRoom implements AutoCloseable {

    /** Bound for anything a correct solution does at once; only a solution that hangs uses it up. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How long a timed wait must last before it counts as a wait for the request to end. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** How a request behaves. */
    enum Kind {
        /** returns its body at once */
        RETURNS,
        /** held until the caller waits for it (see the class comment) */
        SLOW,
        /** runs until interrupted, then winds down until the caller waits for it */
        UNTIL_INTERRUPTED
    }

    /** One request, as the fake fetcher saw it. */
    static final class Request {
        final int index;
        final URI url;
        final Thread thread;
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean interrupted; // recorded before the thread's interrupt flag is cleared
        volatile boolean finished;

        Request(int index, URI url, Thread thread) {
            this.index = index;
            this.url = url;
            this.thread = thread;
        }

        boolean released() {
            return release.getCount() == 0;
        }

        /** Read in this order (the thread's flag, then the record), an interrupt sent earlier is seen. */
        boolean wasInterrupted() {
            return thread.isInterrupted() || interrupted;
        }

        String path() {
            return url.getPath();
        }
    }

    private final ThreadGroup group = new ThreadGroup("fetchAll") {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // what escapes a request's thread is judged by the rules (a null response), not printed
        }
    };

    private final List<URI> urls;
    private final List<Kind> kinds;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closing;
    private volatile Thread caller;
    private volatile boolean ended;
    private volatile List<Response> result;
    private volatile Throwable thrown;
    private volatile List<Request> unfinishedAtEnd = List.of();
    private volatile List<Request> startedAtEnd = List.of();
    private volatile boolean interruptSent;

    /** @param kinds how each request behaves, one per URL */
    FetchRoom(Kind... kinds) {
        this.kinds = List.of(kinds);
        this.urls = IntStream.range(0, kinds.length)
                .mapToObj(i -> URI.create("http://localhost/page-" + i))
                .toList();
    }

    List<URI> urls() {
        return urls;
    }

    static String bodyOf(URI url) {
        return "body of " + url.getPath();
    }

    /** The fake fetcher, for the requests of this room. */
    final Fetcher fetcher = this::fetch;

    private String fetch(URI url) throws InterruptedException {
        int index = urls.indexOf(url);
        Thread me = Thread.currentThread();
        Request request = new Request(index, url, me);
        requests.add(request);
        try {
            Kind kind = index < 0 ? Kind.RETURNS : kinds.get(index);
            if (me == caller) {
                kind = kind == Kind.UNTIL_INTERRUPTED ? kind : Kind.RETURNS; // it cannot wait for itself
            }
            switch (kind) {
                case RETURNS -> {}
                case SLOW -> {
                    while (!request.released() && !closing) {
                        try {
                            request.release.await();
                        } catch (InterruptedException e) {
                            request.interrupted = true;
                            throw e; // a fetch stops when interrupted
                        }
                    }
                }
                case UNTIL_INTERRUPTED -> {
                    while (!me.isInterrupted() && !closing) {
                        java.util.concurrent.locks.LockSupport.park(this);
                    }
                    request.interrupted = true; // recorded before the flag is cleared
                    while (me != caller && !request.released() && !closing) {
                        try {
                            request.release.await(); // winding down, until the caller waits for it
                        } catch (InterruptedException again) {
                            // already stopping
                        }
                    }
                    Thread.interrupted();
                    throw new InterruptedException("request for " + url.getPath() + " interrupted");
                }
            }
            return bodyOf(url);
        } finally {
            request.finished = true;
        }
    }

    /** Starts {@code solution.fetchAll(urls, fetcher)} on a daemon platform thread named "caller". */
    void start(FetchAll solution) {
        start(solution, fetcher);
    }

    /** Starts {@code solution.fetchAll(urls, fetcher)} with another fetcher. */
    void start(FetchAll solution, Fetcher with) {
        Thread t = Thread.ofPlatform().group(group).name("caller").daemon(true).unstarted(() -> {
            try {
                result = solution.fetchAll(urls, with);
            } catch (Throwable failure) {
                thrown = failure;
            } finally {
                startedAtEnd = List.copyOf(requests);
                unfinishedAtEnd = startedAtEnd.stream().filter(r -> !r.finished).toList();
                ended = true;
            }
        });
        caller = t;
        t.start();
    }

    /** @return what fetchAll returned; throws what it threw as the rule's failure */
    List<Response> result(String call) {
        Throwable t = thrown;
        if (t instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        if (t != null) {
            throw new AssertionError(call + " threw " + t, t);
        }
        return result;
    }

    Throwable thrown() {
        if (thrown instanceof NotImplementedYet notYet) {
            throw notYet;
        }
        return thrown;
    }

    List<Request> requests() {
        return requests.stream().sorted(Comparator.comparingInt(r -> r.index)).toList();
    }

    /** @return true if the caller gave up on a timed wait that ran out ({@link TimedWaits}) */
    boolean callerGaveUpOnATimedWait() {
        Thread c = caller;
        return c != null && TimedWaits.gaveUp(c);
    }

    /** @return true once {@link #interruptAndDrive} has interrupted the caller */
    boolean interruptSent() {
        return interruptSent;
    }

    /**
     * @return the requests that had begun when fetchAll returned or threw: a thread it started may
     *         begin its request only after that, when fetchAll did not wait for it
     */
    List<Request> startedAtEnd() {
        return startedAtEnd.stream()
                .sorted(Comparator.comparingInt(r -> r.index))
                .toList();
    }

    /** @return the requests that had not finished when fetchAll returned or threw */
    List<Request> unfinishedAtEnd() {
        return unfinishedAtEnd;
    }

    /** Waits until fetchAll ends; a hang (with where the threads were) if it does not within {@link #PATIENCE}. */
    void awaitEnd(String call) throws InterruptedException {
        if (!caller.join(PATIENCE)) {
            throw hang(call + " did not return within " + PATIENCE.toSeconds() + " s, though a correct solution"
                    + " needs no time here");
        }
    }

    /**
     * Lets the slow requests end, each only once the caller waits for it (see the class comment),
     * until fetchAll ends.
     */
    void driveUntilEnd(String call) throws InterruptedException {
        Watch watch = new Watch();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (caller.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw hang(call + " did not return within " + PATIENCE.toSeconds() + " s, though the grader let"
                        + " each request finish as soon as fetchAll waited for it");
            }
            watch.look(r -> !r.released());
            caller.join(Duration.ofMillis(1));
        }
    }

    /**
     * Once every request is in flight and the caller waits (or, for a solution that starts fewer,
     * once the caller's wait has lasted {@link #GRACE}), interrupts the caller; then lets each
     * interrupted request wind down only once the caller waits for it, until fetchAll ends.
     *
     * @return null, or what the caller did that breaks the rule at once: it went back to waiting
     *         without interrupting any request (those run until interrupted: a wait that never ends)
     */
    String interruptAndDrive(String call) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long waitingSince = -1;
        while (true) {
            if (!caller.isAlive()) {
                return null; // it ended before it was interrupted: judged by the rule
            }
            if (System.nanoTime() > deadline) {
                throw hang(call + " neither waited for its requests nor returned within " + PATIENCE.toSeconds()
                        + " s, with " + Words.of(requests.size(), "request") + " in flight (they run until"
                        + " interrupted)");
            }
            if (requests.stream().anyMatch(r -> r.thread == caller)) {
                break; // a request runs on the caller itself: interrupt it there
            }
            ThreadInfo info = THREADS.getThreadInfo(caller.threadId());
            if (isWaiting(info)) {
                if (waitingSince < 0) {
                    waitingSince = System.nanoTime();
                }
                if (requests.size() >= urls.size() || System.nanoTime() - waitingSince >= GRACE.toNanos()) {
                    break;
                }
            } else {
                waitingSince = -1;
            }
            caller.join(Duration.ofMillis(1));
        }
        interruptSent = true;
        caller.interrupt();
        Watch watch = new Watch();
        while (caller.isAlive()) {
            if (System.nanoTime() > deadline) {
                List<String> never = requests().stream()
                        .filter(r -> !r.wasInterrupted())
                        .map(Request::path)
                        .toList();
                throw hang(call + " did not end within " + PATIENCE.toSeconds() + " s after its caller was"
                        + " interrupted, though the grader let each interrupted request end as soon as fetchAll"
                        + " waited for it" + (never.isEmpty() ? "" : "; never interrupted: " + never));
            }
            ThreadInfo first = THREADS.getThreadInfo(caller.threadId());
            if (isWaiting(first) && !caller.isInterrupted() && requests.stream().noneMatch(Request::wasInterrupted)) {
                ThreadInfo second = THREADS.getThreadInfo(caller.threadId());
                if (isWaiting(second) && second.getWaitedCount() == first.getWaitedCount()) {
                    // the same wait throughout, begun after the interrupt was taken: nothing can end it
                    return "fetchAll was interrupted while it waited, and then waited again without interrupting any"
                            + " request (" + ThreadDumps.describe(caller) + "), though the requests run until they are"
                            + " interrupted: an interrupt asks fetchAll to stop. Interrupt the requests still running"
                            + " (pool.shutdownNow(), or interrupt() each thread; a try-with-resources close() alone waits"
                            + " for every task), wait for them to end, then throw the InterruptedException";
                }
            }
            watch.look(r -> r.wasInterrupted() && !r.released());
            caller.join(Duration.ofMillis(1));
        }
        return null;
    }

    /**
     * One look at the caller at a time: releases the held requests it waits for. A wait on a
     * platform thread's monitor (its {@code join}) is for that thread's request; a wait the JVM cannot
     * tie to a thread releases the first held request in URL order, one per wait (or per
     * {@link #GRACE} of the same wait); a timed wait counts once it lasts {@link #GRACE} or is
     * entered again on the same lock.
     */
    private final class Watch {
        private String lastWait;
        private long lastWaitSince;
        private long lastReleaseCount = -1;
        private long lastReleaseAt;

        void look(java.util.function.Predicate<Request> held) throws InterruptedException {
            ThreadInfo info = THREADS.getThreadInfo(caller.threadId());
            if (!isWaiting(info) || caller.isInterrupted()) {
                return;
            }
            long now = System.nanoTime();
            LockInfo lock = info.getLockInfo();
            String lockId = lock == null ? "?" : lock.getClassName() + "@" + lock.getIdentityHashCode();
            boolean sameLock = lastWait != null && lastWait.startsWith(lockId + "#");
            String wait = lockId + "#" + info.getWaitedCount();
            boolean reentered = sameLock && !wait.equals(lastWait);
            if (!wait.equals(lastWait) && !reentered) {
                lastWaitSince = now;
            }
            lastWait = wait;
            // a timed wait the caller entered again (TimedWaits: an awaitTermination) has no time limit: it
            // is taken as a plain wait
            boolean timed = info.getThreadState() == Thread.State.TIMED_WAITING && !TimedWaits.committed(caller);
            boolean lasted = now - lastWaitSince >= GRACE.toNanos();
            if (timed && !lasted && !reentered && !TimedWaits.inAPoolsClose(caller)) {
                return;
            }
            List<Request> candidates = requests().stream().filter(held).toList();
            Request tied = candidates.stream()
                    .filter(r -> isMonitorOf(lock, r.thread))
                    .findFirst()
                    .orElse(null);
            if (tied != null) {
                release(tied);
            } else if (liveRequestThreadWaitedOn(lock)) {
                return; // a join on a request's thread that is already ending
            } else if (timed) {
                for (Request r : candidates) {
                    release(r);
                }
            } else if (!candidates.isEmpty()
                    && (info.getWaitedCount() != lastReleaseCount || now - lastReleaseAt >= GRACE.toNanos())) {
                release(candidates.get(0));
                lastReleaseCount = info.getWaitedCount();
                lastReleaseAt = now;
            }
        }
    }

    private boolean liveRequestThreadWaitedOn(LockInfo lock) {
        return requests.stream().anyMatch(r -> isMonitorOf(lock, r.thread));
    }

    private static void release(Request request) throws InterruptedException {
        request.release.countDown();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!request.finished && System.nanoTime() < deadline) {
            request.thread.join(Duration.ofMillis(1)); // it ends at once
        }
    }

    private static boolean isMonitorOf(LockInfo lock, Thread thread) {
        return lock != null
                && lock.getClassName().equals(thread.getClass().getName())
                && lock.getIdentityHashCode() == System.identityHashCode(thread);
    }

    private static boolean isWaiting(ThreadInfo info) {
        return info != null
                && (info.getThreadState() == Thread.State.WAITING
                        || info.getThreadState() == Thread.State.TIMED_WAITING);
    }

    /**
     * @return the platform threads of the caller's group still alive after fetchAll ended, other
     *         than the caller: a pool's thread waiting for its next task at once (it never ends
     *         while its pool is not shut down), any other once it has not ended within {@link #PATIENCE}
     */
    List<Thread> leftBehind() throws InterruptedException {
        List<Thread> left = new ArrayList<>();
        for (Thread t : liveInGroup()) {
            if (!waitsForAPoolsNextTask(t) && t.join(PATIENCE)) {
                continue;
            }
            if (t.isAlive()) {
                left.add(t);
            }
        }
        return left;
    }

    private static boolean waitsForAPoolsNextTask(Thread t) {
        ThreadInfo info = THREADS.getThreadInfo(new long[] {t.threadId()}, false, false)[0];
        if (!isWaiting(info)) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        return Arrays.stream(stack)
                .anyMatch(f ->
                        f.getMethodName().equals("getTask") && f.getClassName().endsWith("ThreadPoolExecutor")
                                || f.getMethodName().equals("awaitWork")
                                        && f.getClassName().endsWith("ForkJoinPool"));
    }

    private List<Thread> liveInGroup() {
        Thread[] all = new Thread[group.activeCount() + urls.size() + 16];
        int n = group.enumerate(all, true);
        return Arrays.stream(all, 0, n).filter(t -> t != caller && t.isAlive()).toList();
    }

    /** A hang, with where the threads were on a line of its own below. */
    SolutionHung hang(String what) {
        StringBuilder where = new StringBuilder("  ").append(ThreadDumps.describe(caller));
        for (Request r : requests()) {
            if (r.thread != caller && r.thread.isAlive()) {
                where.append("\n  ")
                        .append(ThreadDumps.describe(r.thread))
                        .append(" (the request for ")
                        .append(r.path())
                        .append(r.finished ? ", finished" : r.wasInterrupted() ? ", interrupted" : ", running")
                        .append(')');
            }
        }
        return new SolutionHung(what + ".\nWhere the threads were:\n" + where);
    }

    /** @return "/page-0, /page-2" */
    static String paths(List<Request> requests) {
        // sorted: the order the requests arrived in varies from run to run, a message must not
        return requests.stream().map(Request::path).sorted().collect(Collectors.joining(", "));
    }

    /** Ends every request and the caller. */
    @Override
    public void close() {
        closing = true;
        for (Request r : requests) {
            r.release.countDown();
            java.util.concurrent.locks.LockSupport.unpark(r.thread);
        }
        try {
            Thread c = caller;
            if (c != null && !c.join(Duration.ofSeconds(2))) {
                c.interrupt();
                c.join(Duration.ofSeconds(1));
            }
            for (Request r : requests) {
                r.thread.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
