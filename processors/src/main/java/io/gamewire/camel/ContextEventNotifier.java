package io.gamewire.camel;

import org.apache.camel.support.EventNotifierSupport;

/**
 * An event notifier for the context's own events only (starting, stopping, stopped, a failed
 * start). It tells Camel that it takes no exchange, route, service or step events, so Camel makes
 * no event object per exchange for it: a notifier that takes everything made Camel create and hand
 * out three or more events for every exchange of every route.
 */
public abstract class ContextEventNotifier extends EventNotifierSupport {

    protected ContextEventNotifier() {
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }
}
