package io.gamewire.ingest.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.BusSteps;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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
 * event). Nothing holds a thread while the broker confirms.
 */
public final class HttpEventSteps {

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final HttpEventBodies bodies;
    private final BusGateway gateway;

    public HttpEventSteps(ObjectMapper json, TitleRegistry titles, HttpEventBodies bodies, BusGateway gateway) {
        this.json = json;
        this.titles = titles;
        this.bodies = bodies;
        this.gateway = gateway;
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
            String key = keySha256(titles.keys(), exchange);
            if (key == null || titles.keys().titleOf(key).isEmpty()) {
                throw new RequestRefusedException(401, (key == null ? "no API key given" : "unknown API key")
                        + "; send Authorization: Bearer <API key of the title>");
            }
            exchange.setProperty(BusSteps.KEY_SHA256, key);
            Message in = exchange.getMessage();
            in.setBody(bodies.batch(in.getHeader(Exchange.CONTENT_TYPE, String.class), in.getBody(byte[].class)));
        };
    }

    /**
     * Admits and publishes every item, in one publish order, so the broker receives the batch's
     * events in the batch's order; the body becomes the list of results once each is confirmed or
     * refused.
     */
    public FutureProcessor publishBatch() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) {
                String key = exchange.getProperty(BusSteps.KEY_SHA256, String.class);
                @SuppressWarnings("unchecked")
                List<HttpEventBodies.Item> items = exchange.getMessage().getBody(List.class);
                BatchResults results = new BatchResults(items.size());
                PublishOrder order = gateway.openOrder();
                order.hold(); // one hand-over to the lane for the whole batch
                try {
                    for (int index = 0; index < items.size(); index++) {
                        publishOne(key, order, index, items.get(index), results);
                    }
                } catch (RuntimeException e) {
                    order.failHeld(e); // the client resends the whole batch: send none of it
                    order.close();
                    throw e;
                } finally {
                    order.handOver();
                }
                results.allHandedOver();
                return results.done().whenComplete((done, failure) -> order.close())
                        .thenAccept(done -> exchange.getMessage().setBody(done));
            }
        };
    }

    /** 200 with the count of accepted and refused events and one result per event, in the batch's order. */
    public Processor answerResults() {
        return exchange -> {
            @SuppressWarnings("unchecked")
            List<EventResult> results = exchange.getMessage().getBody(List.class);
            HttpProblems.apply(exchange, new HttpAnswer(200, resultsBody(results), Map.of()));
        };
    }

    /** Written with a generator, not built as a tree: a batch has up to a thousand results. */
    private String resultsBody(List<EventResult> results) throws IOException {
        long accepted = results.stream().filter(one -> one.status() == 202).count();
        StringWriter body = new StringWriter(64 + 80 * results.size());
        try (JsonGenerator out = json.getFactory().createGenerator(body)) {
            out.writeStartObject();
            out.writeNumberField("accepted", accepted);
            out.writeNumberField("refused", results.size() - accepted);
            out.writeArrayFieldStart("results");
            for (EventResult one : results) {
                one.writeTo(out);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return body.toString();
    }

    /**
     * One event's result: its index in the batch, its status (202 or the refusal's), and, where
     * they apply, why, when to retry and its message id.
     */
    record EventResult(int index, int status, String message, long retryAfter, String messageId) {

        static EventResult accepted(int index, String messageId) {
            return new EventResult(index, 202, null, 0, messageId);
        }

        static EventResult refused(int index, RefusedException refusal, String messageId) {
            return new EventResult(index, refusal.refusal().httpStatus(), refusal.getMessage(),
                    refusal.retryAfterSeconds(), messageId);
        }

        void writeTo(JsonGenerator out) throws IOException {
            out.writeStartObject();
            out.writeNumberField("index", index);
            out.writeNumberField("status", status);
            if (status != 202) {
                out.writeStringField("message", message); // null when the failure had none, as before
            }
            if (retryAfter > 0) {
                out.writeNumberField("retryAfter", retryAfter);
            }
            if (messageId != null) {
                out.writeStringField("messageId", messageId);
            }
            out.writeEndObject();
        }
    }

    /**
     * The results of one batch, each set when its event is settled; {@link #done()} completes once
     * every event is settled and the batch's loop has handed over its last. One counter per batch
     * rather than {@code allOf} over a future per event: fewer completion stages on the confirm
     * thread (the profile of batched HTTP in bench/README.md).
     */
    static final class BatchResults {
        private final EventResult[] results;
        /** Events not settled yet, plus one that the loop holds until it has handed over every event. */
        private final AtomicInteger unsettled;
        private final CompletableFuture<List<EventResult>> done = new CompletableFuture<>();

        BatchResults(int size) {
            results = new EventResult[size];
            unsettled = new AtomicInteger(size + 1);
        }

        /** Any thread; the counter orders each write before the read of the whole. */
        void settle(EventResult result) {
            results[result.index()] = result;
            release();
        }

        void allHandedOver() {
            release();
        }

        private void release() {
            if (unsettled.decrementAndGet() == 0) {
                done.complete(Arrays.asList(results));
            }
        }

        CompletableFuture<List<EventResult>> done() {
            return done;
        }
    }

    /** Never fails: a refused or unconfirmed event becomes its result. */
    private void publishOne(String key, PublishOrder order, int index, HttpEventBodies.Item item,
                            BatchResults results) {
        if (item.refusal() != null) {
            results.settle(EventResult.refused(index, item.refusal(), null));
            return;
        }
        Envelope event = item.event();
        CompletableFuture<Void> published;
        try {
            published = gateway.publish(key, EventSource.HTTP, event, order);
        } catch (RefusedException e) {
            results.settle(EventResult.refused(index, e, null));
            return;
        }
        String messageId = event.messageId().toString();
        published.whenComplete((ok, failure) -> {
            EventResult result;
            try {
                // the event was read, so its id is known: with it, a resend of an unknown outcome is stored once
                Throwable cause = failure == null ? null : FutureProcessor.unwrap(failure);
                result = cause == null ? EventResult.accepted(index, messageId)
                        : cause instanceof RefusedException refused ? EventResult.refused(index, refused, messageId)
                        : new EventResult(index, 500, cause.toString(), 0, messageId);
            } catch (RuntimeException e) {
                result = new EventResult(index, 500, e.toString(), 0, messageId); // never a batch left unanswered
            }
            results.settle(result);
        });
    }

    /** Answers {@code status} with {@code body} as JSON, dropping the request's headers. */
    public static void answer(Exchange exchange, int status, ObjectNode body) {
        HttpProblems.apply(exchange, new HttpAnswer(status, body.toString(), Map.of()));
    }
}
