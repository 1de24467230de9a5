package dev.threadlab.gil.engine;

import dev.threadlab.common.timeline.Timeline;
import dev.threadlab.gil.exercise.HandOff;
import java.time.Duration;

/** The GILs this module compares, by name, for the demos' and the benchmark's {@code --gil} options. */
public enum GilDesign {
    /** CPython's design since 3.2: {@link SwitchIntervalGil}. */
    CPYTHON("CPython design (switch interval)"),
    /** {@link LockPerChunkGil#fair()}: thrashes. */
    FAIR_LOCK("fair ReentrantLock per chunk"),
    /** {@link LockPerChunkGil#unfair()}: starves. */
    UNFAIR_LOCK("unfair ReentrantLock per chunk"),
    /** {@link LockPerChunkGil#monitor()}: starves. */
    SYNCHRONIZED("synchronized per chunk"),
    /** {@link NoGil}: Java. */
    NONE("no GIL (Java)");

    private final String description;

    GilDesign(String description) {
        this.description = description;
    }

    /**
     * A new GIL of this design.
     *
     * @param interval the switch interval (used by {@link #CPYTHON} only)
     * @param handOff  the drop-request hand-off (used by {@link #CPYTHON} only)
     * @param timeline where to record lanes, or {@code null}
     */
    public Gil create(Duration interval, HandOff handOff, Timeline timeline) {
        return switch (this) {
            case CPYTHON -> new SwitchIntervalGil(GilClock.system(), interval, handOff, timeline);
            case FAIR_LOCK -> LockPerChunkGil.fair(timeline);
            case UNFAIR_LOCK -> LockPerChunkGil.unfair(timeline);
            case SYNCHRONIZED -> LockPerChunkGil.monitor(timeline);
            case NONE -> new NoGil();
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
