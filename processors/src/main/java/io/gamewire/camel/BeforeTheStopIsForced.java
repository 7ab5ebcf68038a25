package io.gamewire.camel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ShutdownStrategy;

/**
 * Runs an action a moment before {@code camel.main.shutdown-timeout} forces the routes down, counted
 * from the start of the stop: work still in flight then is ended by its owner (an answer written, a
 * run interrupted) while its route may still finish the exchange. Once Camel forces the routes it
 * refuses to run the rest of them ("Run not allowed as ShutdownStrategy is forcing shutting down"),
 * so whatever ends after that ends as an error. A timeout of 0 (Camel waits for the routes without
 * end and forces nothing) runs no action.
 *
 * <p>Add it after every event notifier that holds the stop before Camel's own shutdown timeout
 * starts (the GWP drain, {@code TcpDrain}): Camel runs the notifiers one after another on the
 * stopping thread, so a clock started before them would act up to the drain's time too early.
 */
public final class BeforeTheStopIsForced extends ContextStopping {

    private final CamelContext camel;
    private final Runnable action;

    private BeforeTheStopIsForced(CamelContext camel, Runnable action) {
        this.camel = camel;
        this.action = action;
    }

    /** Runs {@code action} (on a thread of its own) before {@code camel}'s stop is forced. */
    public static void run(CamelContext camel, Runnable action) {
        camel.getManagementStrategy().addEventNotifier(new BeforeTheStopIsForced(camel, action));
    }

    @Override
    protected void stopping() {
        // read now: the stop after a broken store sets a timeout of its own just before it stops
        ShutdownStrategy shutdown = camel.getShutdownStrategy();
        long timeoutMs = shutdown.getTimeUnit().toMillis(shutdown.getTimeout());
        if (timeoutMs > 0) {
            CompletableFuture.runAsync(action, CompletableFuture.delayedExecutor(actAt(timeoutMs), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * When, in ms after the stop began, the action runs: a tenth of the (positive) shutdown timeout
     * before it, but at least 100 ms and at most 1 s before, so that what it ends is over before the
     * routes are forced down.
     */
    static long actAt(long shutdownTimeoutMs) {
        long before = Math.max(100, Math.min(1000, shutdownTimeoutMs / 10));
        return Math.max(0, shutdownTimeoutMs - before);
    }
}
