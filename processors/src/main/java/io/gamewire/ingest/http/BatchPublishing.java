package io.gamewire.ingest.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.bus.EventSource;
import io.gamewire.bus.PublishOrder;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.titles.ApiKeyRing;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The steps of a batch ({@code POST /v1/events}) that do not depend on how the request came:
 * {@link #titleKeySha256} (a batch whose key is no key at all is refused whole, 401),
 * {@link #publish} (each event admitted and confirmed on its own, a refusal being that event's
 * result, all in one publish order so that the broker receives them in the batch's order) and
 * {@link #resultsBody} (the 200's body, one result per event). The route {@code http-ingest-batch}
 * runs them through {@link HttpEventSteps}, {@link HttpBatches} without an exchange: one batch is
 * read, published and answered the same either way. Nothing holds a thread while the broker confirms.
 */
public final class BatchPublishing {

    /** The bus's step that admits and publishes one event in an order ({@link BusGateway#publish}). */
    @FunctionalInterface
    interface Publish {
        CompletableFuture<Void> publish(String keySha256, EventSource source, Envelope event, PublishOrder order);
    }

    private final ObjectMapper json;
    private final Supplier<PublishOrder> openOrder;
    private final Publish publish;

    public BatchPublishing(ObjectMapper json, BusGateway gateway) {
        this(json, gateway::openOrder, gateway::publish);
    }

    BatchPublishing(ObjectMapper json, Supplier<PublishOrder> openOrder, Publish publish) {
        this.json = json;
        this.openOrder = openOrder;
        this.publish = publish;
    }

    /**
     * The SHA-256 of the presented key, which must be a title's key.
     *
     * @param presentedKey the bearer key, or null when the request has none
     * @throws RequestRefusedException 401 when there is no key or no title has it
     */
    static String titleKeySha256(ApiKeyRing keys, String presentedKey) {
        String key = presentedKey == null ? null : keys.sha256OfPresented(presentedKey);
        if (key == null || keys.titleOf(key).isEmpty()) {
            throw new RequestRefusedException(401, (key == null ? "no API key given" : "unknown API key")
                    + "; send Authorization: Bearer <API key of the title>");
        }
        return key;
    }

    /**
     * Admits and publishes every item, in one publish order, so the broker receives the batch's
     * events in the batch's order.
     *
     * @return completes with one result per item, in the batch's order, once each is confirmed or
     *         refused
     * @throws RuntimeException when the batch could not be handed to the bus (nothing of it is sent)
     */
    CompletableFuture<List<EventResult>> publish(String keySha256, List<HttpEventBodies.Item> items) {
        BatchResults results = new BatchResults(items.size());
        PublishOrder order = openOrder.get();
        order.hold(); // one hand-over to the lane for the whole batch
        try {
            for (int index = 0; index < items.size(); index++) {
                publishOne(keySha256, order, index, items.get(index), results);
            }
        } catch (RuntimeException | Error e) { // an Error too: the order must not stay open, nor half a batch go out
            order.failHeld(e); // the client resends the whole batch: send none of it
            order.close();
            throw e;
        } finally {
            order.handOver();
        }
        results.allHandedOver();
        return results.done().whenComplete((done, failure) -> order.close());
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
            published = publish.publish(key, EventSource.HTTP, event, order);
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

    /**
     * The body of the 200: the count of accepted and refused events and one result per event, in
     * the batch's order. Written with a generator, not built as a tree: a batch has up to a
     * thousand results.
     */
    String resultsBody(List<EventResult> results) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
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
}
