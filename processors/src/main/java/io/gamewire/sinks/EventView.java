package io.gamewire.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.PayloadJson;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.sql.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

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

    /**
     * The event a view holds, back from its JSON: for an event without an {@code events} row (a
     * command with {@code event-row: false}) the cached view is all there is. The view keeps less
     * than the row: of the attributes only {@code gw-source}, and a JSON payload as its content,
     * not its bytes ({@link PayloadJson#fromServed}).
     *
     * @throws IllegalArgumentException the bytes are not such a view (a field missing or malformed, named)
     */
    public static StoredEvent fromJson(ObjectMapper json, byte[] view) {
        JsonNode node;
        try {
            node = json.readTree(view);
        } catch (IOException e) {
            throw new IllegalArgumentException("a cached event view is not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String contentType = field(node, "contentType");
        if (!node.has("payload")) {
            throw new IllegalArgumentException("a cached event view has no payload");
        }
        Map<String, String> attributes = node.hasNonNull("source")
                ? Map.of(ReservedAttributes.SOURCE, node.get("source").asText()) : Map.of();
        try {
            return new StoredEvent(java.util.UUID.fromString(field(node, "messageId")),
                    RoutingKey.parse(field(node, "routingKey")), contentType,
                    PayloadJson.fromServed(json, node.path("payload"), contentType),
                    Instant.parse(field(node, "eventTime")).toEpochMilli(),
                    Instant.parse(field(node, "receivedAt")).toEpochMilli(), attributes);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("a cached event view has a malformed time: " + e.getParsedString(), e);
        }
    }

    private static String field(JsonNode view, String name) {
        JsonNode value = view.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a cached event view has no " + name);
        }
        return value.asText();
    }

    public static byte[] toJson(ObjectMapper json, StoredEvent event) {
        return toJson(json, event, null);
    }

    /**
     * The view, with the payload as {@code json} parsed it already ({@code parsed}, null when it was
     * not): the sinks parse every payload they store, and parsing it again here cost the sink
     * writer about 0.8 µs per event (bench/README.md, "The consumer's Camel exchange and the sink
     * writer, profiled again").
     */
    public static byte[] toJson(ObjectMapper json, StoredEvent event, JsonNode parsed) {
        ObjectNode node = json.createObjectNode();
        node.put("messageId", event.messageId().toString());
        node.put("routingKey", event.routingKey().toString());
        node.put("contentType", event.contentType());
        node.set("payload", PayloadJson.served(json, event.payload(), event.contentType(), parsed));
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
}
