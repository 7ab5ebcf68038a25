package io.gamewire.ops.metrics;

import io.gamewire.camel.ContextEventNotifier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventHelper;

/**
 * Camel's {@link MicrometerRouteEventNotifier} ({@code camel.metrics.enable-route-event-notifier})
 * counts routes added and running from route events alone, but Camel 4.17 leaves it taking every
 * kind of event, so Camel made exchange events on every exchange of every route for it to ignore.
 * This tells Camel it takes none of those; it still takes route events (and the context's own,
 * which it ignores), so what it counts does not change, for routes a title reload adds too.
 */
public final class RouteEventNotifiers {

    private RouteEventNotifiers() {
    }

    /**
     * Applies to the route event notifiers the context has now, then lets Camel work out again
     * whether any notifier wants exchange events (it decides that once, as it starts, and sets it
     * again as a notifier that wants them is added later, e.g. by Camel JBang's CLI connector).
     */
    public static void takeNoExchangeEvents(CamelContext camel) {
        for (EventNotifier notifier : camel.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof MicrometerRouteEventNotifier) {
                ContextEventNotifier.takeNoExchangeEvents(notifier);
            }
        }
        camel.getCamelContextExtension().setEventNotificationApplicable(EventHelper.eventsApplicable(camel));
    }
}
