package io.gamewire.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * A Camel processor whose work finishes in a {@link CompletableFuture} (a broker confirm, a reply):
 * the route continues when the future completes, on the thread that completed it, and no thread
 * waits meanwhile. A failed future becomes the exchange's exception, unwrapped.
 */
public abstract class FutureProcessor extends AsyncProcessorSupport {

    /** Starts the work; the exchange is updated when the returned future completes. */
    protected abstract CompletableFuture<?> start(Exchange exchange) throws Exception;

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<?> work;
        try {
            work = start(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (work.isDone()) {
            fail(exchange, work);
            callback.done(true);
            return true;
        }
        work.whenComplete((ignored, failure) -> {
            if (failure != null) {
                exchange.setException(unwrap(failure));
            }
            callback.done(false);
        });
        return false;
    }

    private static void fail(Exchange exchange, CompletableFuture<?> done) {
        try {
            done.get();
        } catch (ExecutionException e) {
            exchange.setException(unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (RuntimeException e) {
            exchange.setException(unwrap(e));
        }
    }

    /** The failure itself, not the wrappers futures put around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable at = failure;
        while ((at instanceof CompletionException || at instanceof ExecutionException) && at.getCause() != null) {
            at = at.getCause();
        }
        return at;
    }
}
