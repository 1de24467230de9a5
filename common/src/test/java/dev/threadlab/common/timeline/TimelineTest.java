package dev.threadlab.common.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadlab.common.testsupport.ManualClock;
import dev.threadlab.common.timeline.Timeline.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static Timeline twoLanes() {
        ManualClock clock = new ManualClock();
        Timeline timeline = new Timeline(clock);
        timeline.record("A", State.RUNNING, "work");
        clock.advance(Duration.ofMillis(50));
        timeline.record("B", State.RUNNING, "work");
        timeline.record("A", State.SLEEPING, "sleep");
        timeline.record("A", State.MARK, "drop request");
        clock.advance(Duration.ofMillis(50));
        timeline.record("A", State.ENDED, "done");
        timeline.record("B", State.ENDED, "done");
        return timeline;
    }

    @Test
    void asciiLanesShowEachThreadsStateOverTime() {
        assertThat(twoLanes().renderAscii(10)).isEqualTo("""
                   0 ms 100 ms
                A |#####^zzzz|
                B |     #####|
                   # running  - ready  z sleeping/io  . waiting  x blocked  ^ mark
                """);
    }

    @Test
    void svgHasALanePerThreadAndAMarkPerPointEvent() {
        String svg = twoLanes().renderSvg(400);

        assertThat(svg)
                .startsWith("<svg")
                .contains(">A</text>")
                .contains(">B</text>")
                .contains("<title>drop request</title>")
                .contains("100 ms")
                .endsWith("</svg>\n");
    }

    @Test
    void aTooNarrowDrawingIsRefused() {
        assertThatThrownBy(() -> twoLanes().renderAscii(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("columns must be at least 1, was 0");
    }
}
