package dev.threadlab.multiprocessing.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.threadlab.multiprocessing.pool.TaskFailedException.Reason;
import dev.threadlab.multiprocessing.solution.ReferencePoolMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool on real worker JVMs: separate memory, every chunk accounted for (a result, the task's
 * exception, a dead worker's pid and exit code, a timeout, a closed pool), and no process left.
 * Tests that kill or replace workers start their own pool; the others share one.
 */
class ProcessPoolTest {

    /** How long a test waits for a worker to call back, at most (JVM start-up on a loaded machine). */
    private static final Duration CALL_BACK = Duration.ofSeconds(60);

    private static ProcessPool shared;

    @BeforeAll
    static void startTheSharedPool() {
        shared = ProcessPool.start(2, new ReferencePoolMap());
    }

    @AfterAll
    static void closeTheSharedPool() {
        shared.close();
    }

    @Test
    void eachWorkerIsAnotherJvmWithItsOwnPid() throws Exception {
        List<Long> pids = shared.pids();

        assertThat(pids)
                .hasSize(2)
                .doesNotHaveDuplicates()
                .doesNotContain(ProcessHandle.current().pid());
        assertThat(shared.apply("pid", null))
                .as("a task runs in one of the workers")
                .isIn(pids.toArray());
        assertThat(ProcessHandle.of(pids.get(0)).flatMap(p -> p.parent()).map(ProcessHandle::pid))
                .as("the workers are this JVM's children")
                .contains(ProcessHandle.current().pid());
    }

    @Test
    void aStaticCounterChangedInAWorkerIsNotChangedInTheParent() throws Exception {
        try (ProcessPool single = ProcessPool.start(1)) {
            long parentBefore = Tasks.counter();
            List<Object> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(single.apply("incrementCounter", null));
            }
            assertThat(seen).as("the worker counted in its own memory, from 0").containsExactly(1L, 2L, 3L);
            assertThat(Tasks.counter())
                    .as("separate memory: the parent's counter must not move")
                    .isEqualTo(parentBefore);
            assertThatThrownBy(() -> single.map("square", List.of(1), 1))
                    .as("map is the exercise: no PoolMap, no map")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("this pool was started without a PoolMap");
        }
    }

    @Test
    void aTaskExceptionComesBackWithItsTypeAndMessageAndTheWorkerLivesOn() throws Exception {
        List<Long> before = shared.pids();

        TaskFailedException failure =
                catchThrowableOfType(TaskFailedException.class, () -> shared.apply("thousandDividedBy", 0));

        assertThat(failure.reason()).isEqualTo(Reason.TASK_THREW);
        assertThat(failure.getMessage())
                .matches(
                        "thousandDividedBy\\(0\\) threw java.lang.ArithmeticException: / by zero \\(worker pid \\d+\\)");
        assertThat(failure.getCause()).isInstanceOfSatisfying(RemoteTaskException.class, remote -> {
            assertThat(remote.remoteType()).isEqualTo("java.lang.ArithmeticException");
            assertThat(remote.remoteMessage()).isEqualTo("/ by zero");
            assertThat(remote.getStackTrace()).as("the worker's frames").isNotEmpty();
        });
        assertThat(shared.pids())
                .as("a task that throws does not cost its worker")
                .isEqualTo(before);
        assertThat(shared.apply("square", 9)).isEqualTo(81L);
    }

    @Test
    void badInputIsRefusedWhenSubmittedWithWhatWasExpected() {
        assertThatThrownBy(() -> shared.submit("nope", List.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown task 'nope'");
        assertThatThrownBy(() -> shared.submit("echo", List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a java.lang.Object cannot be sent");
        assertThatThrownBy(() -> shared.submit("echo", List.of("x".repeat(20_000_000))))
                .as("a chunk too big for a frame is the caller's mistake: refused before a worker sees it")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a chunk of 1 item encodes to 20000026 bytes");
        assertThatThrownBy(() -> shared.submit("echo", List.of(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a timeout must be positive, not PT0S");
        assertThatThrownBy(() -> ProcessPool.start(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a pool needs at least 1 worker, not 0");
        assertThatThrownBy(() -> shared.map("square", List.of(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunkSize must be at least 1, not 0");
        assertThatThrownBy(() -> ProcessPool.start(1, (ReferencePoolMap) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void anOversizedChunkIsRefusedAndNoWorkerIsBlamedOrKilled() throws Exception {
        List<Long> before = shared.pids();

        assertThatThrownBy(() -> shared.map("echo", List.of("x".repeat(20_000_000)), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than the frame limit");

        assertThat(shared.pids())
                .as("the workers did nothing wrong: none was killed or replaced")
                .isEqualTo(before);
        assertThat(shared.apply("echo", "after")).isEqualTo("after");
    }

    @Test
    void aWorkerKilledMidTaskFailsThatTaskWithItsPidAndExitCodeAndIsReplaced() throws Exception {
        try (ProcessPool pool = ProcessPool.start(2, new ReferencePoolMap());
                Rendezvous rendezvous = Rendezvous.open()) {
            CompletableFuture<List<Object>> victim = pool.submit("rendezvous", List.of(rendezvous.port()));
            long pid = rendezvous.awaitTask(CALL_BACK); // the task has started, in worker pid

            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9, mid-task

            TaskFailedException failure =
                    catchThrowableOfType(TaskFailedException.class, () -> ProcessPool.await(victim));
            assertThat(failure.reason()).isEqualTo(Reason.WORKER_DIED);
            assertThat(failure.workerPid()).isEqualTo(pid);
            assertThat(failure.getMessage())
                    .isEqualTo("rendezvous(" + rendezvous.port() + ") failed: worker pid " + pid
                            + " died with exit code 137 (killed by signal 9, SIGKILL) while running it");
            assertThat(pool.pids())
                    .as("the dead worker was replaced before its failure was reported")
                    .hasSize(2)
                    .doesNotContain(pid);
            assertThat(pool.map("square", List.of(1, 2, 3, 4), 1))
                    .as("the pool goes on")
                    .containsExactly(1L, 4L, 9L, 16L);
        }
    }

    @Test
    void aChunkThatRunsTooLongTimesOutAndItsWorkerIsKilledAndReplaced() throws Exception {
        try (ProcessPool pool = ProcessPool.start(1);
                Rendezvous rendezvous = Rendezvous.open()) {
            long pid = pool.pids().get(0);

            // rendezvous never returns here: nobody releases it, so the timeout is sure to expire
            TaskFailedException failure = catchThrowableOfType(
                    TaskFailedException.class,
                    () -> pool.apply("rendezvous", rendezvous.port(), Duration.ofMillis(300)));

            assertThat(failure.reason()).isEqualTo(Reason.TIMED_OUT);
            assertThat(failure.getMessage())
                    .isEqualTo("rendezvous(" + rendezvous.port() + ") timed out after 300 ms on worker pid " + pid
                            + ", which was killed");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("the timed-out worker is gone")
                    .isNotEqualTo(java.util.Optional.of(true));
            assertThat(pool.pids()).doesNotContain(pid);
            assertThat(pool.apply("echo", "after"))
                    .as("a fresh worker took its place")
                    .isEqualTo("after");
        }
    }

    @Test
    void closeFailsRunningAndQueuedChunksAndEndsEveryWorker() throws Exception {
        CompletableFuture<List<Object>> running;
        CompletableFuture<List<Object>> queued;
        List<Long> pids;
        try (ProcessPool pool = ProcessPool.start(1);
                Rendezvous rendezvous = Rendezvous.open()) {
            pids = pool.pids();
            running = pool.submit("rendezvous", List.of(rendezvous.port()));
            queued = pool.submit("echo", List.of("never"));
            rendezvous.awaitTask(CALL_BACK);

            pool.close(); // the test itself; try-with-resources closes it again (a no-op) if an assertion fails first

            assertThatThrownBy(() -> pool.submit("echo", List.of(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the pool is closed");
        }
        TaskFailedException whileRunning =
                catchThrowableOfType(TaskFailedException.class, () -> ProcessPool.await(running));
        assertThat(whileRunning.reason()).isEqualTo(Reason.POOL_CLOSED);
        assertThat(whileRunning.getMessage())
                .contains("the pool was closed while worker pid " + pids.get(0) + " was running it");
        TaskFailedException neverRun = catchThrowableOfType(TaskFailedException.class, () -> ProcessPool.await(queued));
        assertThat(neverRun.getMessage()).isEqualTo("echo(never) was not run: the pool was closed first");
        assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive))
                .as("close() returns only once every worker has exited")
                .isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aWorkerJvmThatCannotStartFailsTheChunkWithItsExitCode(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("workers-stderr.txt");
        try (ProcessPool pool = ProcessPool.start(
                1,
                List.of("-XX:+ThisOptionDoesNotExistInThreadlab"),
                ProcessBuilder.Redirect.appendTo(stderr.toFile()))) {
            TaskFailedException failure = catchThrowableOfType(TaskFailedException.class, () -> pool.apply("echo", 1));

            assertThat(failure.reason()).isEqualTo(Reason.WORKER_DIED);
            assertThat(failure.getMessage())
                    .matches("echo\\(1\\) was not run: worker pid \\d+ died with exit code 1 before it was ready");
        }
        assertThat(Files.readString(stderr))
                .as("the JVM's own start-up error, on the worker's stderr")
                .contains("Unrecognized VM option 'ThisOptionDoesNotExistInThreadlab'")
                .contains("Could not create the Java Virtual Machine");
    }
}
