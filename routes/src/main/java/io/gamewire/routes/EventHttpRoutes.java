package io.gamewire.routes;

import io.gamewire.ingest.http.HttpEventBodies;
import io.gamewire.ingest.http.HttpIngestProcessors;
import io.gamewire.ingest.http.HttpQueryProcessor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.BusGateway;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.ingest.http.EventReader;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.config.Settings;
import io.gamewire.titles.TitleRegistry;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The HTTP API, every call with {@code Authorization: Bearer <API key>}:
 * <ul>
 *   <li>{@code POST /v1/events/{routingKey}}, a JSON body or one GWP EVENT frame
 *       ({@code application/x-gwp}): published, answered {@code 202 {"messageId": ...}} only after
 *       the broker confirmed it;</li>
 *   <li>{@code POST /v1/events}, a batch (NDJSON lines or GWP frames): {@code 200} with one result
 *       per event, each {@code 202} or the refusal's status and message;</li>
 *   <li>{@code GET /v1/query/{routingKey}?...}: request/response over the bus, 200/404/504;</li>
 *   <li>{@code GET /v1/events/{messageId}}: the stored event, or 404.</li>
 * </ul>
 */
public class EventHttpRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Settings settings = new Settings(getContext().getPropertiesComponent());
        ObjectMapper json = new ObjectMapper();
        TitleRegistry titles = getContext().getRegistry().lookupByNameAndType("titleRegistry", TitleRegistry.class);
        BusGateway gateway = getContext().getRegistry().lookupByNameAndType("busGateway", BusGateway.class);
        HttpEventBodies bodies = new HttpEventBodies(json, new EnvelopeCodec(settings.clientLimits()),
                settings.integer("gamewire.http.max-body-bytes"), settings.integer("gamewire.http.max-batch-events"));
        HttpIngestProcessors ingest = new HttpIngestProcessors(json, titles, bodies, gateway);
        EventReader reader = new EventReader(json, titles,
                getContext().getRegistry().lookupByNameAndType("eventCache", EventCache.class),
                getContext().getRegistry().lookupByNameAndType("sqlEventStore", SqlEventStore.class),
                Duration.ofSeconds(settings.integer("gamewire.cache.event-ttl-seconds")));

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/v1/events")
                .post("/{routingKey}").id("rest-post-event")
                    .description("Publish one event (JSON, or one GWP EVENT frame); 202 after the broker confirmed it")
                    .produces("application/json")
                    .to("direct:http-ingest-event")
                .post().id("rest-post-batch")
                    .description("Publish a batch: NDJSON lines or GWP EVENT frames; one result per event")
                    .produces("application/json")
                    .to("direct:http-ingest-batch")
                .get("/{messageId}").id("rest-get-event")
                    .description("Read a stored event by message id")
                    .produces("application/json")
                    .to("direct:http-read-event");

        rest("/v1/query")
                .get("/{routingKey}").id("rest-query")
                    .description("Ask the service of the routing key; query parameters are the request's fields")
                    .produces("application/json")
                    .to("direct:http-query");

        from("direct:http-ingest-event").routeId("http-ingest-event").routeConfigurationId(HttpApiErrors.ID)
                .process(ingest.single());

        from("direct:http-ingest-batch").routeId("http-ingest-batch").routeConfigurationId(HttpApiErrors.ID)
                .process(ingest.batch());

        from("direct:http-query").routeId("http-query").routeConfigurationId(HttpApiErrors.ID)
                .process(new HttpQueryProcessor(json, titles, gateway));

        from("direct:http-read-event").routeId("http-read-event").routeConfigurationId(HttpApiErrors.ID)
                .process(reader);
    }
}
