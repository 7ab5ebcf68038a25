package io.gamewire.camel;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Called once, when Camel starts to stop: before any route stops, so that what is in flight can
 * still be answered. Subclasses close a door (the GWP port's drain, the HTTP API's gate).
 */
public abstract class ContextStopping extends EventNotifierSupport {

    protected ContextStopping() {
        // only the context's stopping matters: Camel then makes no event per exchange for this notifier
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }

    @Override
    public final boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public final void notify(CamelEvent event) throws Exception {
        stopping();
    }

    /** What to do as the stop begins. */
    protected abstract void stopping() throws Exception;
}
