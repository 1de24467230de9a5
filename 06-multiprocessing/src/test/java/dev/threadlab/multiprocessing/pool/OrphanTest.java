package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.common.testsupport.ChildJvm;
import dev.threadlab.multiprocessing.Multiprocessing_02_PoolMap;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * No worker JVM outlives its parent: a worker sees the end of its stdin when the parent dies,
 * even mid-task, and exits. The parent here is a child JVM that the test kills; its workers are
 * then no longer this JVM's descendants, so the test itself checks that they are gone.
 */
class OrphanTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    /** A parent with one worker, busy with a rendezvous task that calls the test back. */
    public static final class ParentOfOneWorker {
        public static void main(String[] args) throws Exception {
            ProcessPool pool = ProcessPool.start(1);
            System.out.println("parent ready");
            pool.apply("rendezvous", Integer.parseInt(args[0])); // blocks until the test kills us
        }
    }

    /** Waits for {@code pid} to end; if it does not, kills it (so the suite leaves nothing) and says so. */
    private static void assertExitsByItself(long pid, String what) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return; // already gone
        }
        try {
            process.get().onExit().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.get().destroyForcibly();
            throw new AssertionError(what + " (pid " + pid + ") was still running " + BOUND.toSeconds()
                    + " s after its parent died: an orphan (it has now been killed)");
        }
    }

    @Test
    void aWorkerWhoseParentIsKilledMidTaskExitsByItself() throws Exception {
        try (Rendezvous rendezvous = Rendezvous.open();
                ChildJvm parent = ChildJvm.start(
                        ParentOfOneWorker.class,
                        ProcessPool.DEFAULT_JVM_OPTIONS,
                        Integer.toString(rendezvous.port()))) {
            long worker = rendezvous.awaitTask(BOUND); // the worker is running a task now

            parent.process().destroyForcibly(); // kill -9 the parent: no shutdown hook, no close()
            parent.awaitExit(BOUND);

            assertExitsByItself(worker, "the worker of a killed parent");
        }
    }

    @Test
    void theWorkersOfAnInterruptedDemoExitWithIt() throws Exception {
        try (ChildJvm demo = ChildJvm.start(
                Multiprocessing_02_PoolMap.class,
                ProcessPool.DEFAULT_JVM_OPTIONS,
                "--limits",
                "10000000,10000000,10000000,10000000")) {
            String started = demo.awaitLine("started 2 worker JVMs", BOUND);
            List<Long> workers = Arrays.stream(started.substring(started.lastIndexOf('[') + 1, started.lastIndexOf(']'))
                            .split(", "))
                    .map(Long::parseLong)
                    .toList();

            demo.process().destroy(); // SIGTERM, as a terminal's Ctrl-C (SIGINT) would: the JVM exits
            assertThat(demo.awaitExit(BOUND)).as("the demo ended by the signal").isNotZero();

            for (long worker : workers) {
                assertExitsByItself(worker, "a worker of the interrupted demo");
            }
        }
    }
}
