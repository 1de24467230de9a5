package dev.threadlab.gil.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.common.timeline.Timeline.State;
import dev.threadlab.gil.exercise.GilState;
import dev.threadlab.gil.exercise.HandOff;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import net.jcip.annotations.ThreadSafe;

/**
 * A GIL built the way CPython's has been since 3.2 ({@code Python/ceval_gil.c}, Antoine Pitrou's
 * "new GIL"): a boolean {@code locked} guarded by a mutex, a condition signalled when it is dropped,
 * a switch interval, a drop request, and forced switching.
 *
 * <ul>
 *   <li>{@link #attach()} and the end of {@link #withoutGil} call {@code take_gil}: a free GIL is
 *       taken at once; a held one is waited for by the {@link HandOff}'s {@code awaitGil}, which
 *       waits one interval at a time and sets the drop request ({@code SET_GIL_DROP_REQUEST}) when
 *       an interval passes with no switch.</li>
 *   <li>{@link #runBytecode} checks the drop request before each chunk (the eval breaker, checked
 *       by CPython on loop back-edges and calls) and, when it is set, lets the hand-off's
 *       {@code yieldGil} drop the GIL, wait for another thread to take it ({@code FORCE_SWITCHING},
 *       {@code switch_cond}) and take it back.</li>
 *   <li>{@link #withoutGil} and {@link #detach()} call {@code drop_gil}: the GIL is dropped and one
 *       waiter is signalled.</li>
 * </ul>
 *
 * <p>Simplifications: one mutex serves as both {@code gil->mutex} and {@code gil->switch_mutex};
 * forced switching happens only at the eval breaker, not when dropping for I/O (a thread that drops
 * for I/O is about to block anyway); a forced-switch wait also ends when no thread is left waiting
 * for the GIL (CPython avoids the same hang differently: a waiter that exits resets its drop
 * request, gh-96387); {@code switch_number} counts only changes of holder, not the very first take.
 *
 * <p>Every wait goes through the injected {@link GilClock}, so tests drive the switch interval
 * with a manual clock. With a {@link Timeline}, each thread's lane shows when it holds the GIL
 * (running), wants it (ready), waits for a forced switch (waiting) or is in I/O (sleeping), with
 * drop requests and hand-offs marked.
 *
 * <p>Thread-safety: thread-safe; state changes happen under {@code mutex}. The state is also
 * {@code volatile}, so the hot path (the eval-breaker check of every chunk) reads it without
 * locking, as CPython reads {@code eval_breaker} with a relaxed atomic load.
 */
@ThreadSafe
public final class SwitchIntervalGil implements Gil {

    /** CPython's default switch interval, {@code DEFAULT_INTERVAL 5000} microseconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(5);

    private final GilClock clock;
    private final HandOff handOff;
    private final Timeline timeline;
    private final GilState state = new View();

    /** {@code gil->mutex} (and {@code gil->switch_mutex}). */
    private final ReentrantLock mutex = new ReentrantLock();
    /** {@code gil->cond}: signalled when the GIL is dropped. */
    private final Condition cond = mutex.newCondition();
    /** {@code gil->switch_cond}: signalled when a thread takes the GIL that another held last. */
    private final Condition switchCond = mutex.newCondition();

    // These three are written only with the mutex held, and volatile because the hot path reads
    // them without it. Not @GuardedBy: Error Prone's check would (rightly) flag those reads.
    private volatile boolean locked;

    private volatile Thread lastHolder;

    private volatile long switchNumber;

    @GuardedBy("mutex")
    private int waiters;

    @GuardedBy("mutex")
    private long drops;

    /** {@code gil_drop_request}, folded into the eval breaker. */
    private volatile boolean dropRequest;

    private final AtomicLong dropRequests = new AtomicLong();
    private volatile long intervalNanos;

    /**
     * @param clock    time and timed waits (real for demos, manual in tests)
     * @param interval the switch interval ({@code sys.setswitchinterval}), strictly positive
     * @param handOff  the drop-request hand-off (the exercise; {@code ReferenceHandOff} is CPython's)
     * @param timeline where to record each thread's lane, or {@code null} for none (benchmarks)
     * @throws IllegalArgumentException if {@code interval} is not strictly positive
     */
    public SwitchIntervalGil(GilClock clock, Duration interval, HandOff handOff, Timeline timeline) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.handOff = Objects.requireNonNull(handOff, "handOff");
        this.timeline = timeline;
        setSwitchInterval(interval);
    }

    /**
     * {@code sys.setswitchinterval}: applies from the next interval a waiting thread starts.
     *
     * @throws IllegalArgumentException if {@code interval} is not strictly positive (CPython raises
     *                                  {@code ValueError: switch interval must be strictly positive})
     */
    public void setSwitchInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("switch interval must be strictly positive, was " + interval);
        }
        intervalNanos = interval.toNanos();
    }

    /** @return the switch interval, {@code sys.getswitchinterval()} */
    public Duration switchInterval() {
        return Duration.ofNanos(intervalNanos);
    }

    @Override
    public void attach() throws InterruptedException {
        take();
    }

    @Override
    public void runBytecode(Runnable chunk) throws InterruptedException {
        requireHolder("runBytecode");
        if (dropRequest) { // the eval breaker
            handOff.yieldGil(state);
            if (!isHeldByCurrentThread()) {
                throw new IllegalStateException(handOff.getClass().getSimpleName()
                        + ".yieldGil returned without the GIL: it must take the GIL back before returning");
            }
        }
        chunk.run();
    }

    @Override
    public void withoutGil(Blocking io) throws InterruptedException {
        drop();
        record(State.SLEEPING, "blocking I/O without the GIL");
        try {
            io.run();
        } finally {
            take();
        }
    }

    @Override
    public void detach() {
        if (isHeldByCurrentThread()) {
            drop();
        }
        record(State.ENDED, "detached");
    }

    /** @return whether the calling thread holds this GIL */
    public boolean isHeldByCurrentThread() {
        return locked && lastHolder == Thread.currentThread();
    }

    @Override
    public long handOffs() {
        return switchNumber;
    }

    /** @return how many times a waiting thread set the drop request */
    public long dropRequests() {
        return dropRequests.get();
    }

    /** @return how many times a holder dropped the GIL (for I/O, at a drop request, or at the end) */
    public long drops() {
        mutex.lock();
        try {
            return drops;
        } finally {
            mutex.unlock();
        }
    }

    /** @return whether a drop is requested and not yet answered ({@code gil_drop_request}) */
    public boolean dropRequested() {
        return dropRequest;
    }

    /** @return the thread holding the GIL, or {@code null} when it is free */
    public Thread holder() {
        mutex.lock();
        try {
            return locked ? lastHolder : null;
        } finally {
            mutex.unlock();
        }
    }

    // ---- take_gil and drop_gil ----

    private void take() throws InterruptedException {
        Thread me = Thread.currentThread();
        mutex.lockInterruptibly();
        try {
            if (locked && lastHolder == me) {
                throw new IllegalStateException(me.getName() + " already holds the GIL");
            }
            if (locked) {
                record(State.READY, "wants the GIL");
                waiters++;
                boolean freed = false;
                try {
                    handOff.awaitGil(new View()); // a view of its own: it remembers this wait's expired deadline
                    freed = true;
                } finally {
                    waiters--;
                    if (!freed) {
                        switchCond.signalAll(); // a forced switch may be waiting for this thread
                    }
                }
                if (locked) {
                    throw new IllegalStateException(handOff.getClass().getSimpleName() + ".awaitGil returned while "
                            + lastHolder.getName() + " still held the GIL: it must wait until the GIL is free");
                }
            }
            Thread previous = lastHolder;
            lastHolder = me;
            locked = true;
            if (previous != me && previous != null) {
                switchNumber++;
                switchCond.signalAll();
                mark("hand-off from " + previous.getName());
            }
            dropRequest = false; // RESET_GIL_DROP_REQUEST if it was set
            record(State.RUNNING, "holds the GIL");
        } finally {
            mutex.unlock();
        }
    }

    private void drop() {
        mutex.lock();
        try {
            requireHolder("drop");
            locked = false;
            drops++;
            cond.signal();
            record(State.READY, "dropped the GIL");
        } finally {
            mutex.unlock();
        }
    }

    private void awaitTakeover() throws InterruptedException {
        Thread me = Thread.currentThread();
        mutex.lockInterruptibly();
        try {
            if (isHeldByCurrentThread()) {
                throw new IllegalStateException("awaitTakeover is for a thread that has just dropped the GIL, but "
                        + me.getName() + " still holds it");
            }
            if (!dropRequest || lastHolder != me) {
                return;
            }
            dropRequest = false; // RESET_GIL_DROP_REQUEST
            record(State.WAITING, "dropped on request; waits until another thread takes the GIL");
            while (lastHolder == me && waiters > 0) {
                clock.awaitUntil(mutex, switchCond, GilClock.NO_DEADLINE);
            }
        } finally {
            mutex.unlock();
        }
    }

    private void requireHolder(String action) {
        if (!isHeldByCurrentThread()) {
            Thread holder = lastHolder;
            throw new IllegalStateException(
                    Thread.currentThread().getName() + " called " + action + " without holding the GIL"
                            + (locked && holder != null ? " (" + holder.getName() + " holds it)" : ""));
        }
    }

    private void record(State what, String detail) {
        if (timeline != null) {
            timeline.record(what, detail);
        }
    }

    private void mark(String detail) {
        record(State.MARK, detail);
    }

    /** The hand-off's view of this GIL. */
    private final class View implements GilState {
        /** The deadline this view's last {@link #awaitDropUntil} timed out on (one thread uses a view at a time). */
        private long expiredDeadline;

        private boolean timedOut;

        @Override
        public long nanoTime() {
            return clock.nanoTime();
        }

        @Override
        public long switchIntervalNanos() {
            return intervalNanos;
        }

        @Override
        public boolean isLocked() {
            return locked;
        }

        @Override
        public long switchNumber() {
            return switchNumber;
        }

        @Override
        public boolean awaitDropUntil(long deadlineNanos) throws InterruptedException {
            if (!mutex.isHeldByCurrentThread()) {
                throw new IllegalStateException("awaitDropUntil waits on the GIL's condition and needs its mutex: "
                        + "call it only from HandOff.awaitGil");
            }
            if (timedOut && deadlineNanos == expiredDeadline) {
                // Waiting again until a deadline that has passed returns at once, forever, with the
                // mutex held: the holder could never drop the GIL. Say so instead of spinning.
                throw new IllegalStateException("awaitDropUntil was called again with the deadline it had just timed "
                        + "out on: the deadline had already passed, so it would return at once, again and again, "
                        + "holding the GIL's mutex (the holder could never drop the GIL). Compute a fresh deadline "
                        + "from gil.nanoTime() each interval");
            }
            boolean woken = clock.awaitUntil(mutex, cond, deadlineNanos);
            timedOut = !woken;
            expiredDeadline = deadlineNanos;
            return woken;
        }

        @Override
        public void requestDrop() {
            if (!dropRequest) {
                mark("drop request");
            }
            dropRequest = true;
            dropRequests.incrementAndGet();
        }

        @Override
        public boolean dropRequested() {
            return dropRequest;
        }

        @Override
        public void drop() {
            SwitchIntervalGil.this.drop();
        }

        @Override
        public void awaitTakeover() throws InterruptedException {
            SwitchIntervalGil.this.awaitTakeover();
        }

        @Override
        public void take() throws InterruptedException {
            SwitchIntervalGil.this.take();
        }
    }
}
