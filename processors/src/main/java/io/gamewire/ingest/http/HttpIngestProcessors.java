package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.camel.FutureProcessor;
import io.gamewire.ingest.BusGateway;
import io.gamewire.ingest.RefusedException;
import io.gamewire.protocol.Envelope;
import io.gamewire.titles.ApiKeyRing;
import io.gamewire.titles.TitleRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The HTTP ingest processors: one event ({@code POST /v1/events/{routingKey}}, 202 after the
 * confirm) and a batch ({@code POST /v1/events}, one result per event once every event of it was
 * confirmed or refused). Neither holds a thread while the broker confirms.
 */
public final class HttpIngestProcessors {

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final HttpEventBodies bodies;
    private final BusGateway gateway;

    public HttpIngestProcessors(ObjectMapper json, TitleRegistry titles, HttpEventBodies bodies, BusGateway gateway) {
        this.json = json;
        this.titles = titles;
        this.bodies = bodies;
        this.gateway = gateway;
    }

    /** The SHA-256 of the bearer key, or null when the request has none. */
    static String keySha256(Exchange exchange) {
        String key = BearerAuthorization.presentedKey(exchange);
        return key == null ? null : ApiKeyRing.sha256(key);
    }

    public FutureProcessor single() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) {
                Message in = exchange.getMessage();
                Envelope event = bodies.single(in.getHeader("routingKey", String.class),
                        in.getHeader(Exchange.CONTENT_TYPE, String.class), in.getBody(byte[].class));
                return gateway.publish(keySha256(exchange), event).thenRun(() -> {
                    ObjectNode body = json.createObjectNode().put("messageId", event.messageId().toString());
                    answer(exchange, 202, body);
                });
            }
        };
    }

    public FutureProcessor batch() {
        return new FutureProcessor() {
            @Override
            protected CompletableFuture<?> start(Exchange exchange) {
                String key = keySha256(exchange);
                // the whole batch is refused when its key is no key at all; other refusals are per event
                if (key == null || titles.keys().titleOf(key).isEmpty()) {
                    throw new RequestRefusedException(401, (key == null ? "no API key given" : "unknown API key")
                            + "; send Authorization: Bearer <API key of the title>");
                }
                Message in = exchange.getMessage();
                List<HttpEventBodies.Item> items = bodies.batch(in.getHeader(Exchange.CONTENT_TYPE, String.class),
                        in.getBody(byte[].class));
                List<CompletableFuture<ObjectNode>> results = new ArrayList<>(items.size());
                for (int index = 0; index < items.size(); index++) {
                    results.add(publishOne(key, index, items.get(index)));
                }
                return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenRun(() -> {
                    ObjectNode body = json.createObjectNode();
                    ArrayNode list = json.createArrayNode();
                    int accepted = 0;
                    for (CompletableFuture<ObjectNode> result : results) {
                        ObjectNode one = result.join();
                        accepted += one.get("status").asInt() == 202 ? 1 : 0;
                        list.add(one);
                    }
                    body.put("accepted", accepted).put("refused", results.size() - accepted).set("results", list);
                    answer(exchange, 200, body);
                });
            }
        };
    }

    /** Never fails: a refused or unconfirmed event becomes its result. */
    private CompletableFuture<ObjectNode> publishOne(String key, int index, HttpEventBodies.Item item) {
        if (item.refusal() != null) {
            return CompletableFuture.completedFuture(refused(index, item.refusal()));
        }
        Envelope event = item.event();
        CompletableFuture<Void> published;
        try {
            published = gateway.publish(key, event);
        } catch (RefusedException e) {
            return CompletableFuture.completedFuture(refused(index, e));
        }
        return published.handle((ok, failure) -> {
            if (failure == null) {
                return json.createObjectNode().put("index", index).put("status", 202)
                        .put("messageId", event.messageId().toString());
            }
            Throwable cause = FutureProcessor.unwrap(failure);
            return cause instanceof RefusedException refused ? refused(index, refused)
                    : json.createObjectNode().put("index", index).put("status", 500).put("message", cause.toString());
        });
    }

    private ObjectNode refused(int index, RefusedException refusal) {
        ObjectNode result = json.createObjectNode().put("index", index).put("status", refusal.refusal().httpStatus())
                .put("message", refusal.getMessage());
        if (refusal.retryAfterSeconds() > 0) {
            result.put("retryAfter", refusal.retryAfterSeconds());
        }
        return result;
    }

    static void answer(Exchange exchange, int status, ObjectNode body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body.toString());
    }
}
