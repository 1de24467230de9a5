package dev.threadlab.basics.exercise;

import dev.threadlab.common.exercise.NotImplementedYet;
import java.net.URI;
import java.util.List;

/**
 * YOUR SOLUTION GOES HERE: exercise 01.2 (see {@link FetchAll} and the module README).
 *
 * <p>Grade it with {@code ./threadlab check 01.2}.
 */
public final class YourFetchAll implements FetchAll {

    @Override
    public List<Response> fetchAll(List<URI> urls, Fetcher fetcher) throws InterruptedException {
        throw new NotImplementedYet("in YourFetchAll.fetchAll, start one thread per URL, wait for them all, "
                + "and return one Response per URL in request order (a failed fetch becomes Response.failed)");
    }
}
