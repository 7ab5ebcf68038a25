package io.gamewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.stack.Settings;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * One consumer route per service queue ({@code title.env.service}), all made from the route
 * template {@code service-consumer}.
 *
 * <p>Delivery: the listener acknowledges a message only after {@link EventStoreProcessor} returned,
 * i.e. after the SQL commit. A failure is retried in place with exponential back-off while the
 * message stays unacknowledged; when the retries are used up the message is returned to the queue
 * ({@code rejectAndDontRequeue=false}), never dropped.
 */
public class EventStoreRoutes extends RouteBuilder {

    /** The consumer endpoint; {@code {{queue}}} is the template parameter. */
    static final String CONSUMER_URI = "spring-rabbitmq:{{gamewire.bus.exchange}}?queues={{queue}}"
            + "&autoDeclare=false&acknowledgeMode=AUTO&rejectAndDontRequeue=false"
            + "&messageListenerContainerType=SMLC"
            + "&concurrentConsumers={{gamewire.bus.concurrent-consumers}}"
            + "&maxConcurrentConsumers={{gamewire.bus.max-concurrent-consumers}}"
            + "&prefetchCount={{gamewire.bus.prefetch}}";

    @Override
    public void configure() {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        EventStoreProcessor store = new EventStoreProcessor(new ObjectMapper(),
                getContext().getRegistry().lookupByNameAndType("sqlEventStore", SqlEventStore.class),
                getContext().getRegistry().lookupByNameAndType("eventCache", EventCache.class),
                Duration.ofSeconds(settings.integer("gamewire.cache.event-ttl-seconds")));
        getContext().getRegistry().bind("eventStoreProcessor", store);

        routeTemplate("service-consumer")
                .templateParameter("queue", null, "the service queue to consume: title.env.service")
                .from(CONSUMER_URI)
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(settings.integer("gamewire.store.retries"))
                        .redeliveryDelay(settings.integer("gamewire.store.retry-delay-ms"))
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .maximumRedeliveryDelay(settings.integer("gamewire.store.max-retry-delay-ms"))
                        .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN))
                .unmarshal().custom("gwp")
                .process("eventStoreProcessor");

        for (String service : settings.list("gamewire.bus.services")) {
            templatedRoute("service-consumer")
                    .routeId(service + "-store")
                    .parameter("queue", service);
        }
    }
}
