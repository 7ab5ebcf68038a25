package io.gamewire.camel;

import org.apache.camel.spi.CamelEvent;

/**
 * Called once, when Camel starts to stop: before any route stops, so that what is in flight can
 * still be answered. Subclasses close a door (the GWP port's drain, the HTTP API's gate).
 */
public abstract class ContextStopping extends ContextEventNotifier {

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
