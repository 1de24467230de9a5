package dev.threadlab.common.timeline;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.threadlab.common.time.Ticker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jcip.annotations.ThreadSafe;

/**
 * Records what each thread is doing over time and draws it as one lane per thread: ASCII for the
 * terminal ({@link #renderAscii(int)}), SVG for a README ({@link #renderSvg(int)}).
 *
 * <pre>
 * 0 ms                                                   2003 ms
 * worker-1 |##zzzzzzzzzz##zzzzzzzzzz#                       |
 * worker-2 | ##zzzzzzzzzz##zzzzzzzzzz#                      |
 * main     |#.........................#                      |
 *  # running  z sleeping  . waiting  x blocked  ^ mark
 * </pre>
 *
 * <p>A thread enters a state with {@link #record(State, String)}; it stays in that state until
 * its next event. {@link State#MARK} is a point event (a hand-off, a drop request) drawn as
 * {@code ^} without changing the lane's state.
 *
 * <p>Thread-safety: safe to record from many threads; events are kept in recording order.
 */
@ThreadSafe
public final class Timeline {

    /** What a thread is doing from an event on, and the character that draws it. */
    public enum State {
        /** Executing (for a simulated interpreter: holding the GIL). */
        RUNNING('#', "#4c9f70"),
        /** Runnable but not running: wants the CPU or a simulated GIL it does not have. */
        READY('-', "#c7d7e8"),
        /** Blocked on a monitor ({@code synchronized}). */
        BLOCKED('x', "#d9534f"),
        /** Waiting on a lock, a latch, a join, a condition. */
        WAITING('.', "#f0ad4e"),
        /** Sleeping, or blocked in (simulated) I/O. */
        SLEEPING('z', "#9fb3c8"),
        /** Finished; the lane is blank from here on. */
        ENDED(' ', "none"),
        /** A point event; does not change the lane's state. */
        MARK('^', "#222222");

        private final char symbol;
        private final String color;

        State(char symbol, String color) {
            this.symbol = symbol;
            this.color = color;
        }

        /** @return the ASCII character drawing this state */
        public char symbol() {
            return symbol;
        }
    }

    /** One event: at {@code nanos} (ticker time), {@code thread} entered {@code state}. */
    public record Event(long nanos, String thread, State state, String detail) {}

    private final Ticker ticker;

    @GuardedBy("this")
    private final List<Event> events = new ArrayList<>();

    /** @param ticker the time source (a manual clock in tests) */
    public Timeline(Ticker ticker) {
        this.ticker = ticker;
    }

    /** @return a timeline timed by {@link System#nanoTime()} */
    public static Timeline system() {
        return new Timeline(Ticker.system());
    }

    /** The calling thread enters {@code state}; {@code detail} says why (e.g. "waiting on lock A"). */
    public void record(State state, String detail) {
        record(Thread.currentThread().getName(), state, detail);
    }

    /** {@code thread} enters {@code state}, recorded on its behalf by another thread. */
    public synchronized void record(String thread, State state, String detail) {
        events.add(new Event(ticker.nanoTime(), thread, state, detail));
    }

    /** @return a snapshot of all events in recording order */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** @return the events of one thread, in order */
    public List<Event> eventsOf(String thread) {
        return events().stream().filter(e -> e.thread().equals(thread)).toList();
    }

    /**
     * Draws one lane per thread (in order of first appearance), {@code columns} characters wide.
     * A column shows the state the thread was in at the middle of its time slice; a mark inside
     * the slice wins.
     *
     * @param columns width of the lanes in characters, at least 1
     * @throws IllegalArgumentException if {@code columns < 1}
     */
    public String renderAscii(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, was " + columns);
        }
        List<Event> all = events();
        if (all.isEmpty()) {
            return "(no events)\n";
        }
        Map<String, List<Event>> lanes = lanes(all);
        long start = all.stream().mapToLong(Event::nanos).min().orElseThrow();
        long end = all.stream().mapToLong(Event::nanos).max().orElseThrow();
        long span = Math.max(1, end - start);
        int nameWidth = lanes.keySet().stream().mapToInt(String::length).max().orElse(0);

        StringBuilder out = new StringBuilder();
        String right = (span / 1_000_000) + " ms";
        out.append(String.format(
                "%-" + nameWidth + "s  0 ms%" + Math.max(right.length() + 1, columns - 4) + "s%n", "", right));
        for (Map.Entry<String, List<Event>> lane : lanes.entrySet()) {
            char[] row = new char[columns];
            for (int c = 0; c < columns; c++) {
                long from = start + span * c / columns;
                long to = start + span * (c + 1) / columns;
                row[c] = symbolAt(lane.getValue(), from, to, c == columns - 1);
            }
            out.append(String.format("%-" + nameWidth + "s |%s|%n", lane.getKey(), new String(row)));
        }
        out.append(String.format(
                "%-" + nameWidth + "s  # running  - ready  z sleeping/io  . waiting  x blocked  ^ mark%n", ""));
        return out.toString();
    }

    private static char symbolAt(List<Event> lane, long from, long to, boolean last) {
        for (Event e : lane) {
            if (e.state() == State.MARK && e.nanos() >= from && (e.nanos() < to || (last && e.nanos() <= to))) {
                return State.MARK.symbol();
            }
        }
        long middle = from + (to - from) / 2;
        State current = null;
        for (Event e : lane) {
            if (e.state() != State.MARK && e.nanos() <= Math.max(middle, from)) {
                current = e.state();
            }
        }
        // A state entered and left inside one column still shows, so short runs are visible.
        for (Event e : lane) {
            if (e.state() != State.MARK
                    && e.state() != State.ENDED
                    && e.nanos() >= from
                    && e.nanos() < to
                    && (current == null || current == State.ENDED)) {
                current = e.state();
            }
        }
        return current == null ? ' ' : current.symbol();
    }

    /**
     * Draws the timeline as a standalone SVG document: one lane per thread, a coloured bar per
     * state, a tick per mark, and a time axis in ms.
     *
     * @param widthPx width of the drawing area in pixels, at least 100
     * @throws IllegalArgumentException if {@code widthPx < 100}
     */
    public String renderSvg(int widthPx) {
        if (widthPx < 100) {
            throw new IllegalArgumentException("widthPx must be at least 100, was " + widthPx);
        }
        List<Event> all = events();
        Map<String, List<Event>> lanes = lanes(all);
        long start = all.stream().mapToLong(Event::nanos).min().orElse(0);
        long end = all.stream().mapToLong(Event::nanos).max().orElse(1);
        double span = Math.max(1, end - start);
        int label = 110;
        int laneHeight = 22;
        int height = 30 + laneHeight * lanes.size() + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"monospace\" font-size=\"12\">%n",
                label + widthPx + 20, height));
        svg.append(String.format("<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        int y = 20;
        for (Map.Entry<String, List<Event>> lane : lanes.entrySet()) {
            svg.append(String.format("<text x=\"4\" y=\"%d\">%s</text>%n", y + 15, escape(lane.getKey())));
            List<Event> states = lane.getValue().stream()
                    .filter(e -> e.state() != State.MARK)
                    .toList();
            for (int i = 0; i < states.size(); i++) {
                Event e = states.get(i);
                if (e.state() == State.ENDED) {
                    continue;
                }
                long until = i + 1 < states.size() ? states.get(i + 1).nanos() : end;
                double x = label + widthPx * (e.nanos() - start) / span;
                double w = Math.max(1, widthPx * (until - e.nanos()) / span);
                svg.append(String.format(
                        java.util.Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s</title></rect>%n",
                        x,
                        y + 3,
                        w,
                        laneHeight - 6,
                        e.state().color,
                        e.state(),
                        escape(e.detail())));
            }
            for (Event e : lane.getValue()) {
                if (e.state() == State.MARK) {
                    double x = label + widthPx * (e.nanos() - start) / span;
                    svg.append(String.format(
                            java.util.Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"><title>%s</title></line>%n",
                            x,
                            y,
                            x,
                            y + laneHeight,
                            State.MARK.color,
                            escape(e.detail())));
                }
            }
            y += laneHeight;
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\">0 ms</text>%n", label, y + 16));
        svg.append(String.format(
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d ms</text>%n",
                label + widthPx, y + 16, (end - start) / 1_000_000));
        int lx = label;
        for (State s : List.of(State.RUNNING, State.READY, State.SLEEPING, State.WAITING, State.BLOCKED)) {
            svg.append(String.format(
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>%n",
                    lx, y + 26, s.color, lx + 14, y + 35, s.name().toLowerCase(java.util.Locale.ROOT)));
            lx += 90;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static Map<String, List<Event>> lanes(List<Event> all) {
        Map<String, List<Event>> lanes = new LinkedHashMap<>();
        for (Event e : all) {
            lanes.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
        }
        return lanes;
    }

    private static String escape(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
