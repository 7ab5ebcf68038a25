package io.gamewire.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.PayloadJson;
import io.gamewire.sinks.sql.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON form of a stored event, as {@code GET /v1/events/{messageId}} answers it and as the
 * cache holds it: {@code messageId, routingKey, contentType, payload, eventTime, receivedAt} and,
 * when the event has one, {@code source} ({@code gw-source}).
 * A JSON payload is embedded as JSON; any other payload as base64 text ({@link PayloadJson#served}).
 */
public final class EventView {

    private EventView() {
    }

    /** The cache key of a stored event's view: written by the sinks, read by {@code GET /v1/events/{id}}. */
    public static String cacheKey(java.util.UUID messageId) {
        return "event:" + messageId;
    }

    public static byte[] toJson(ObjectMapper json, StoredEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("messageId", event.messageId().toString());
        node.put("routingKey", event.routingKey().toString());
        node.put("contentType", event.contentType());
        node.set("payload", payload(json, event));
        node.put("eventTime", Instant.ofEpochMilli(event.eventTimeMs()).toString());
        node.put("receivedAt", Instant.ofEpochMilli(event.receivedAtMs()).toString());
        if (event.source() != null) {
            node.put("source", event.source());
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write event " + event.messageId() + " as JSON", e);
        }
    }

    private static JsonNode payload(ObjectMapper json, StoredEvent event) {
        return PayloadJson.served(json, event.payload(), event.contentType());
    }
}
