package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.bus.EventSource;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusSteps;
import io.gamewire.protocol.Envelope;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The HTTP API's own steps of publishing: reading the body into envelopes and answering. One
 * event ({@code POST /v1/events/{routingKey}}): {@link #readEvent()}, then the shared admit and
 * publish-and-confirm steps ({@link BusSteps}), then {@link #answerAccepted()} (202). A batch
 * ({@code POST /v1/events}): {@link #readBatch()}, {@link #publishBatch()} (each event admitted
 * and confirmed on its own, a refusal being that event's result, all in one publish order so that
 * the broker receives them in the batch's order), {@link #answerResults()} (200 with one result per
 * event), the steps of {@link BatchPublishing} in an exchange. Nothing holds a thread while the
 * broker confirms.
 */
public final class HttpEventSteps {

    private final TitleRegistry titles;
    private final HttpEventBodies bodies;
    private final BatchPublishing batches;

    public HttpEventSteps(TitleRegistry titles, HttpEventBodies bodies, BatchPublishing batches) {
        this.titles = titles;
        this.bodies = bodies;
        this.batches = batches;
    }

    /** The SHA-256 of the bearer key, or null when the request has none. */
    static String keySha256(ApiKeyRing keys, Exchange exchange) {
        String key = BearerAuthorization.presentedKey(exchange);
        return key == null ? null : keys.sha256OfPresented(key);
    }

    /** The body (JSON, or one GWP EVENT frame) becomes the EVENT envelope; the bearer key is kept for admit. */
    public Processor readEvent() {
        return exchange -> {
            Message in = exchange.getMessage();
            exchange.setProperty(BusSteps.KEY_SHA256, keySha256(titles.keys(), exchange));
            exchange.setProperty(BusSteps.SOURCE, EventSource.HTTP);
            in.setBody(bodies.single(in.getHeader("routingKey", String.class),
                    in.getHeader(Exchange.CONTENT_TYPE, String.class),
                    in.getHeader(HttpEventBodies.MESSAGE_ID_HEADER, String.class), in.getBody(byte[].class)));
        };
    }

    /** 202 with the confirmed event's message id. */
    public Processor answerAccepted() {
        return exchange -> {
            Envelope event = exchange.getMessage().getMandatoryBody(Envelope.class);
            HttpProblems.apply(exchange, new HttpAnswer(202, HttpEvents.acceptedBody(event.messageId()), Map.of()));
        };
    }

    /**
     * The body (NDJSON lines or GWP frames) becomes a list of items, each an event or the refusal
     * of its line. A batch whose key is no key at all is refused whole (401).
     */
    public Processor readBatch() {
        return exchange -> {
            exchange.setProperty(BusSteps.KEY_SHA256,
                    BatchPublishing.titleKeySha256(titles.keys(), BearerAuthorization.presentedKey(exchange)));
            Message in = exchange.getMessage();
            in.setBody(bodies.batch(in.getHeader(Exchange.CONTENT_TYPE, String.class), in.getBody(byte[].class)));
        };
    }

    /**
     * Admits and publishes every item ({@link BatchPublishing#publish}); the body becomes the list
     * of results once each is confirmed or refused.
     */
    public FutureProcessor publishBatch() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) {
                @SuppressWarnings("unchecked")
                List<HttpEventBodies.Item> items = exchange.getMessage().getBody(List.class);
                return batches.publish(exchange.getProperty(BusSteps.KEY_SHA256, String.class), items)
                        .thenAccept(done -> exchange.getMessage().setBody(done));
            }
        };
    }

    /** 200 with the count of accepted and refused events and one result per event, in the batch's order. */
    public Processor answerResults() {
        return exchange -> {
            @SuppressWarnings("unchecked")
            List<BatchPublishing.EventResult> results = exchange.getMessage().getBody(List.class);
            HttpProblems.apply(exchange, new HttpAnswer(200, batches.resultsBody(results), Map.of()));
        };
    }

    /** Answers {@code status} with {@code body} as JSON, dropping the request's headers. */
    public static void answer(Exchange exchange, int status, ObjectNode body) {
        HttpProblems.apply(exchange, new HttpAnswer(status, body.toString(), Map.of()));
    }
}
