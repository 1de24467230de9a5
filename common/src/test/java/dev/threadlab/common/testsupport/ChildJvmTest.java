package dev.threadlab.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A child JVM is started with this program's class path, read line by line, and never left behind. */
class ChildJvmTest {

    /** The child: prints a marker, then either exits or waits forever on its stdin. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("child started on Java " + Runtime.version().feature());
            if (args.length > 0 && args[0].equals("hang")) {
                System.in.read(); // blocks until the parent closes stdin or kills us
            }
        }
    }

    @Test
    void theChildRunsThisProgramsClassesAndItsExitCodeIsRead() throws Exception {
        try (ChildJvm child = ChildJvm.start(Child.class, List.of())) {
            assertThat(child.awaitLine("child started", Duration.ofSeconds(30))).contains("Java");
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void aChildThatDoesNotExitFailsWithItsOutputAndThreadDump() throws Exception {
        try (ChildJvm child = ChildJvm.start(Child.class, List.of(), "hang")) {
            child.awaitLine("child started", Duration.ofSeconds(30));
            assertThatThrownBy(() -> child.awaitExit(Duration.ofMillis(200)))
                    .hasMessageContaining("still running")
                    .hasMessageContaining("child started on Java")
                    .hasMessageContaining("\"main\"")
                    .hasMessageContaining("FileInputStream.readBytes");
        }
    }
}
