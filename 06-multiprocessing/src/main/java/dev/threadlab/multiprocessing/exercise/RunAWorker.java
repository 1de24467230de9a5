package dev.threadlab.multiprocessing.exercise;

import dev.threadlab.multiprocessing.pool.Launcher;
import dev.threadlab.multiprocessing.pool.TaskFailedException;
import java.io.IOException;
import java.time.Duration;

/**
 * Exercise 06.1: run one worker process and own it from start to end: start it, wait for its
 * answer but not forever, and leave nothing running: Python's {@code p.start()},
 * {@code p.join(timeout)}, {@code p.terminate()} and {@code p.kill()} on a
 * {@code multiprocessing.Process}, with a pipe for the answer; what a
 * {@code ProcessPool} does for each of its workers (exercise 06.2 builds on the pool). Write your
 * solution in {@link YourRunAWorker}.
 *
 * <p>The child: {@code launcher.start()} starts it and returns its {@link Process}. It writes its
 * answer, one short line, on its standard output ({@code getInputStream()}), then exits with exit
 * code 0; a child that fails exits with another code. A short answer waits in the pipe, so it can
 * be read after the child has exited. Use the {@code Process}'s own methods; on the tests' scripted
 * children, {@code toHandle()} is a handle on the same child, whose signals count the same.
 * The tests count what your waits (on {@code run}'s thread) ask for: on a scripted child, a timed
 * wait that would run out (and is not to be interrupted: rule 5) does so at once, and
 * {@code System.nanoTime()} in your class moves on by what it asked: a deadline loop works as on a
 * real clock.
 *
 * <p>The rules, each checked by a test of {@code RunAWorkerSpec}, in this order:
 * <ol>
 *   <li><b>A child that exits with 0 has its answer returned.</b> Start the child once, with
 *       {@code launcher.start()}. When it exits with code 0 within {@code timeout}, return its
 *       answer: all it wrote on stdout, as UTF-8 text, stripped ({@code String.strip()}), however
 *       late within {@code timeout} it exits: wait for it the whole timeout, not less, to the
 *       nanosecond (a 1.9 s timeout is not 1 s, nor a 0.5 s one 0 s: {@code toSeconds()} drops
 *       the fraction), whether or not another thread reads its output meanwhile (the test's child
 *       answers once your waits have asked for 1.5 s of a 1.9 s timeout; a read or a wait on
 *       another thread makes it answer no sooner), and wait, never poll
 *       {@code isAlive()} in a loop (it spins, a core busy doing nothing). Return only once it has
 *       exited: a child that has closed its output may still be running, and {@code exitValue()}
 *       throws until it has exited.</li>
 *   <li><b>A non-zero exit code is a failure.</b> A child that exits with a non-zero code has
 *       failed: throw {@code new TaskFailedException(Reason.WORKER_DIED, message, pid, -1, null)},
 *       whose message names the exit code as {@code "exit code 3"} and whose pid is the child's
 *       {@code pid()}; never return its output.</li>
 *   <li><b>A child past its timeout is asked to end.</b> Wait with a time limit:
 *       {@code waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)}, or {@code onExit().get(…)} with
 *       one. Never {@code waitFor()} or {@code get()} with no limit while the child may still be
 *       running, and do not read its output on your own thread before it has exited (another
 *       thread may): a child that never ends never closes its output, so that read would never
 *       return. A child still running when {@code timeout} runs out is ended, not before: your waits
 *       for it come to the whole timeout, not less, to the nanosecond (a 50.000001 ms timeout
 *       waited as 50 ms or 0 s, whatever unit or rounding gave that, ends it too early), then {@code run}
 *       throws a {@link TaskFailedException} with reason {@code TIMED_OUT} and the child's pid,
 *       even one that has written its answer and closed its output: it has not exited.
 *       Ending it: {@code destroy()} first (it asks: SIGTERM, so the child's shutdown hooks run),
 *       and wait for it up to {@code grace}, with no kill before your waits came to the whole
 *       grace (rule 4): this child ends on {@code destroy()}, and a kill right after it is too
 *       early here already.</li>
 *   <li><b>A child that ignores {@code destroy()} is killed.</b> Only if it is still running once
 *       your waits for it since {@code destroy()} came to the whole {@code grace}, not less, to the
 *       nanosecond, {@code destroyForcibly()} (SIGKILL, which cannot be ignored) and wait until it
 *       has exited. A 50.000001 ms grace waited as 50 ms or 0 s, or not waited at all ({@code destroyForcibly()} right after
 *       {@code destroy()}), is a kill too early, whether it is sent by {@code destroyForcibly()},
 *       {@code toHandle().destroyForcibly()} or another thread (only a grace wait that threw
 *       {@code InterruptedException} lets you kill at once: rule 5). Both only send a signal: the process ends a moment later, so wait for
 *       it.</li>
 *   <li><b>An interrupt ends the child and is rethrown.</b> If the calling thread is interrupted
 *       while {@code run} waits (the test interrupts it once it waits, or, if it polls, once it has
 *       used 200 ms of CPU since it started the child), end the child the same way (rules 3 and 4), then throw that
 *       {@link InterruptedException}: never swallow it, or wrap it. A wait of that clean-up may
 *       throw {@code InterruptedException} too (a second interrupt, or the flag set again too
 *       early): it has not waited, so kill a child that may still be running, and wait until it has
 *       exited, all the same.</li>
 *   <li><b>The same on real worker JVMs.</b> Started by {@link Launcher#oneTask},
 *       {@code square 7} answers {@code 49}, {@code halt 3} exits with exit code 3, and a
 *       {@code rendezvous} nobody answers never ends.</li>
 * </ol>
 * Every rule also checks that nothing is left running: when {@code run} returns or throws, the
 * child has exited, and so has any thread {@code run} started, on every way out (a reader thread:
 * join it, or close the executor that runs it). On a scripted child, another thread sees the end of
 * the output a child's exit closed only once {@code run} waits for something else than the child
 * (that thread, say): a reader {@code run} leaves behind is still reading, and is named. A
 * {@code run} still running 10
 * seconds after it started on a scripted child (on real JVMs: 20 seconds for the one that never
 * ends, 70 for all three), or seen waiting with no limit, or reading, on a child that never ends
 * (rule 3), is reported as hanging, with where it was, and the rules after it are not graded.
 *
 * <p>Like every exercise: no {@code Thread.sleep} or {@code TimeUnit.sleep} in your class (wait for
 * an event; where the exercise gives you a {@code Sleeper}, pause through it): the grading refuses
 * it before any rule.
 */
public interface RunAWorker {

    /**
     * Starts the child, waits for it at most {@code timeout}, and returns its answer.
     *
     * @param launcher starts the child ({@link Launcher#start()}), once
     * @param timeout  how long the child may run, positive
     * @param grace    how long a child asked to end ({@code destroy()}) may take before it is killed
     * @return the child's answer: its stdout as text, stripped
     * @throws TaskFailedException  reason {@code WORKER_DIED} if it exited with a non-zero code;
     *                              {@code TIMED_OUT} if it ran past the timeout (it was ended)
     * @throws InterruptedException if the calling thread was interrupted while waiting (the child
     *                              was ended)
     * @throws IOException          if the child cannot be started or its output cannot be read
     */
    String run(Launcher launcher, Duration timeout, Duration grace)
            throws TaskFailedException, InterruptedException, IOException;
}
