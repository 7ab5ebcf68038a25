package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.KeyRateLimits;
import io.gamewire.query.EventReader;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.stack.Settings;
import io.gamewire.titles.TitleRegistry;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The HTTP API of events:
 * <ul>
 *   <li>{@code POST /v1/events/{routingKey}} with a JSON body: published to the events exchange,
 *       answered {@code 202 {"messageId": ...}} only after the broker confirmed it;</li>
 *   <li>{@code GET /v1/events/{messageId}}: the stored event, or 404.</li>
 * </ul>
 */
public class EventHttpRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        ObjectMapper json = new ObjectMapper();
        TitleRegistry titles = getContext().getRegistry().lookupByNameAndType("titleRegistry", TitleRegistry.class);
        EventAcceptor acceptor = new EventAcceptor(json, titles, new KeyRateLimits(),
                settings.integer("gamewire.http.max-body-bytes"));
        EventReader reader = new EventReader(json, titles,
                getContext().getRegistry().lookupByNameAndType("eventCache", EventCache.class),
                getContext().getRegistry().lookupByNameAndType("sqlEventStore", SqlEventStore.class),
                Duration.ofSeconds(settings.integer("gamewire.cache.event-ttl-seconds")));

        onException(RequestRefusedException.class).handled(true).process(HttpProblems::refused);
        onException(Exception.class).handled(true).process(HttpProblems::failed);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/v1/events")
                .post("/{routingKey}").id("rest-post-event")
                    .description("Publish one event; 202 after the broker confirmed it")
                    .produces("application/json")
                    .to("direct:http-ingest-event")
                .get("/{messageId}").id("rest-get-event")
                    .description("Read a stored event by message id")
                    .produces("application/json")
                    .to("direct:http-read-event");

        from("direct:http-ingest-event").routeId("http-ingest-event")
                .process(acceptor)
                .marshal().custom("gwp")
                .to("spring-rabbitmq:{{gamewire.bus.exchange}}?autoDeclare=false&exchangePattern=InOnly"
                        + "&confirm=enabled&confirmTimeout={{gamewire.bus.confirm-timeout-ms}}")
                .process(EventHttpRoutes::accepted);

        from("direct:http-read-event").routeId("http-read-event")
                .process(reader);
    }

    private static void accepted(Exchange exchange) {
        String id = exchange.getProperty(EventAcceptor.MESSAGE_ID, String.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody("{\"messageId\":\"" + id + "\"}");
    }
}
