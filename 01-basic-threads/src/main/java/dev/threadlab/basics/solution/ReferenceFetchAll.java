package dev.threadlab.basics.solution;

import dev.threadlab.basics.exercise.FetchAll;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** SPOILER: the reference solution of exercise 01.2. */
public final class ReferenceFetchAll implements FetchAll {

    @Override
    public List<Response> fetchAll(List<URI> urls, Fetcher fetcher) throws InterruptedException {
        // One virtual thread per request: the threads spend their time waiting, which costs nothing.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> pending = new ArrayList<>();
            for (URI url : urls) {
                pending.add(pool.submit(() -> fetcher.fetch(url))); // start them all first
            }
            List<Response> responses = new ArrayList<>();
            try {
                for (int i = 0; i < urls.size(); i++) { // then collect, in request order
                    URI url = urls.get(i);
                    try {
                        responses.add(Response.ok(url, pending.get(i).get()));
                    } catch (ExecutionException e) { // whatever the fetch threw: that request failed
                        responses.add(Response.failed(url, e.getCause().getMessage()));
                    }
                }
            } catch (InterruptedException e) {
                pool.shutdownNow(); // asked to stop: interrupt the fetches still running
                throw e; // close() below waits for them to end first
            }
            return responses;
        } // close() waits for every task: nothing is left running
    }
}
