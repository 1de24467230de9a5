package dev.threadlab.multiprocessing.exercise;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A chunk's future as the scripted runner hands it to the map, telling whether the map ever looked
 * at its outcome: waited for it or read it ({@code get}, {@code join}, {@code getNow},
 * {@code resultNow}, {@code exceptionNow}, {@code isCompletedExceptionally}, {@code state}), chained
 * something on it, or had something waiting on it when the runner completed it ({@code allOf}, a
 * callback). {@code isDone()} alone is no look at the outcome.
 */
final class ObservedFuture<T> extends CompletableFuture<T> {

    private volatile boolean observed;

    /** @return whether the map looked at this future's outcome (see the class comment) */
    boolean observed() {
        return observed;
    }

    private void look() {
        observed = true;
    }

    @Override
    public boolean complete(T value) {
        if (getNumberOfDependents() > 0) {
            look();
        }
        return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        if (getNumberOfDependents() > 0) {
            look();
        }
        return super.completeExceptionally(ex);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        look();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        look();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        look();
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        look();
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        look();
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        look();
        return super.exceptionNow();
    }

    @Override
    public boolean isCompletedExceptionally() {
        look();
        return super.isCompletedExceptionally();
    }

    @Override
    public State state() {
        look();
        return super.state();
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        look();
        return super.handle(fn);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        look();
        return super.whenComplete(action);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        look();
        return super.exceptionally(fn);
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        look();
        return super.thenApply(fn);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        look();
        return super.thenAccept(action);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        look();
        return super.thenCompose(fn);
    }
}
