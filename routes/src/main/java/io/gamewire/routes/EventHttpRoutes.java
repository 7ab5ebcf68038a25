package io.gamewire.routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;

/**
 * The HTTP API, every call with {@code Authorization: Bearer <API key>}; failures are answered by
 * {@link HttpApiErrors}. Each route reads as its steps:
 * <ul>
 *   <li>{@code POST /v1/events/{routingKey}}, a JSON body or one GWP EVENT frame: read the event →
 *       admit → publish and await the broker's confirm → answer {@code 202 {"messageId": ...}};</li>
 *   <li>{@code POST /v1/events}, a batch (NDJSON lines or GWP frames): read the batch → admit,
 *       publish and confirm each event → answer {@code 200} with one result per event, each
 *       {@code 202} or the refusal's status and message;</li>
 *   <li>{@code GET /v1/query/{routingKey}?...}: read the request → admit → request over the bus and
 *       await the reply → answer with it (200/404/504);</li>
 *   <li>{@code GET /v1/events/{messageId}}: the stored event (cache, then the events table), or 404.</li>
 * </ul>
 * The steps are registry beans (see {@code io.gamewire.stack.IngestConfiguration}); {@code admit},
 * {@code publishAndConfirm} and {@code requestAndAwaitReply} are shared: the TCP route uses
 * {@code admit} and {@code requestAndAwaitReply} too (TCP EVENTs take {@code TcpEvents}). A single
 * event or a batch posted with a {@code Content-Length} is served by {@code EventPostsOnEventLoop}
 * with {@code HttpEvents} or {@code HttpBatches}, the same steps without an exchange; the routes
 * serve the others.
 */
public class EventHttpRoutes extends RouteBuilder {

    /** The route of a single event ({@code EventPostsOnEventLoop} serves its path while it is started). */
    static final String INGEST_EVENT = "http-ingest-event";
    /** The route of a batch (likewise). */
    static final String INGEST_BATCH = "http-ingest-batch";

    @Override
    public void configure() {
        RestDefinition events = rest("/v1/events")
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
        // a posted body is read once, as bytes: caching it as a stream first only copies it (the
        // REST DSL sets this per verb, not in its fluent builder)
        events.getVerbs().stream().filter(verb -> verb.asVerb().equals("post"))
                .forEach(verb -> verb.setStreamCache("false"));

        rest("/v1/query")
                .get("/{routingKey}").id("rest-query")
                    .description("Ask the service of the routing key; query parameters are the request's fields")
                    .produces("application/json")
                    .to("direct:http-query");

        from("direct:http-ingest-event").routeId(INGEST_EVENT).routeConfigurationId(HttpApiErrors.ID)
                .noStreamCaching()
                .process("httpReadEvent").id("http-ingest-event.read-event")
                .process("admit").id("http-ingest-event.admit")
                .process("publishAndConfirm").id("http-ingest-event.publish-and-confirm")
                .process("httpAnswerAccepted").id("http-ingest-event.answer-accepted");

        from("direct:http-ingest-batch").routeId(INGEST_BATCH).routeConfigurationId(HttpApiErrors.ID)
                .noStreamCaching()
                .process("httpReadBatch").id("http-ingest-batch.read-batch")
                // per event, so that one refusal is that event's result and not the batch's
                .process("httpPublishBatch").id("http-ingest-batch.admit-publish-and-confirm-each")
                .process("httpAnswerResults").id("http-ingest-batch.answer-results");

        from("direct:http-query").routeId("http-query").routeConfigurationId(HttpApiErrors.ID)
                .process("httpReadRequest").id("http-query.read-request")
                .process("admit").id("http-query.admit")
                .process("requestAndAwaitReply").id("http-query.request-and-await-reply")
                .process("httpAnswerReply").id("http-query.answer-reply");

        from("direct:http-read-event").routeId("http-read-event").routeConfigurationId(HttpApiErrors.ID)
                .process("eventReader").id("http-read-event.read-stored-event");
    }
}
