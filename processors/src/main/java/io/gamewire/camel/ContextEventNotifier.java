package io.gamewire.camel;

import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;

/**
 * An event notifier for the context's own events only (stopping, stopped, a failed start; not its
 * init events). It tells Camel that it takes no exchange, route, service or step events, so Camel
 * makes no event object per exchange for it: one notifier that takes everything makes Camel create
 * and hand out three or more events for every exchange of every route.
 */
public abstract class ContextEventNotifier extends EventNotifierSupport {

    protected ContextEventNotifier() {
        takeNoExchangeEvents(this);
        setIgnoreRouteEvents(true);
    }

    /**
     * Tells Camel that {@code notifier} takes no exchange, step, service or context-init events:
     * no event object is made for those on its account.
     */
    public static void takeNoExchangeEvents(EventNotifier notifier) {
        notifier.setIgnoreExchangeEvents(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
        notifier.setIgnoreStepEvents(true);
        notifier.setIgnoreServiceEvents(true);
        notifier.setIgnoreCamelContextInitEvents(true);
    }
}
