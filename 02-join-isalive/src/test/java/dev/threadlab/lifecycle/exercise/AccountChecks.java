package dev.threadlab.lifecycle.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadlab.lifecycle.exercise.Outcome.Cancelled;
import dev.threadlab.lifecycle.exercise.Outcome.Failed;
import java.util.List;

/**
 * The checks of {@link SupervisorSpec} on what {@code supervise()} returned, each failing with a
 * message that says what the account held and what the rule wants.
 */
final class AccountChecks {

    private AccountChecks() {}

    /**
     * Checks an account: first that every worker appears exactly once, in task order (so a lost
     * worker is named as such), then each outcome.
     */
    static void assertAccount(List<Outcome<String>> account, String why, List<Outcome<String>> expected) {
        List<String> workers = expected.stream().map(Outcome::worker).toList();
        assertThat(account)
                .withFailMessage(
                        "%d tasks gave an account of %s, with null for a worker: every worker needs an"
                                + " outcome (did its task throw something your worker thread did not catch?)",
                        expected.size(), account)
                .doesNotContainNull();
        assertThat(account.stream().map(Outcome::worker).toList())
                .withFailMessage(
                        "%d tasks gave an account of %s: every worker appears exactly once, in task"
                                + " order, finished, failed or cancelled (nothing is lost)",
                        expected.size(), account)
                .isEqualTo(workers);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) instanceof Cancelled<String> late && !(account.get(i) instanceof Cancelled)) {
                String instead = account.get(i) instanceof Failed<String> f
                        ? "Failed with what it threw after your interrupt (" + f.error() + ")"
                        : "Finished with what it returned after your interrupt (" + account.get(i) + ")";
                throw new AssertionError(late.worker() + " was still running at the deadline, so it is Cancelled,"
                        + " not " + instead + ": decide Cancelled when you interrupt a late worker, and keep it"
                        + " whatever the task does afterwards");
            }
        }
        if (!account.equals(expected)) {
            throw new AssertionError(why + ": the account should be " + expected + ", but it was " + account);
        }
    }

    /**
     * Checks that {@code reported} is worker-2's {@code Failed} with the very {@code thrown}, and
     * otherwise says what the solution did instead, not a guess at why: the error escaped the
     * worker thread (so it was not caught), a different throwable was kept, or it was reported as
     * something else.
     */
    static void assertReportedAsFailedWith(Outcome<String> reported, Throwable thrown, String kind, Throwable escaped) {
        if (reported instanceof Failed<String> f && f.worker().equals("worker-2") && f.error() == thrown) {
            return;
        }
        String said = "worker-2's task threw " + thrown
                + (kind.equals("error") ? ", an Error rather than an" + " Exception," : ",")
                + " so it must be reported as Failed with that very " + kind + ", but ";
        if (escaped != null) {
            throw new AssertionError(said + "the account had " + reported + " and the " + kind + " escaped the worker"
                    + " thread to its uncaught-exception handler (it never reaches join()): catch "
                    + (kind.equals("error") ? "Throwable, not only Exception," : "it") + " in the worker (as FutureTask"
                    + " does) and keep it");
        }
        if (reported instanceof Failed<String> f && f.worker().equals("worker-2")) {
            throw new AssertionError(said + "the account had Failed with " + f.error() + ", not the very " + kind
                    + " the task threw: keep the Throwable you caught as it is (don't wrap it or take its cause)");
        }
        throw new AssertionError(said + "the account had " + reported + ": a task that throws is Failed, with what it"
                + " threw; catch it in the worker, where it happens (it never reaches join()), and keep it");
    }
}
