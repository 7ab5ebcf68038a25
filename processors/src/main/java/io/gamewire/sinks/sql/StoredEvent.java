package io.gamewire.sinks.sql;

import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as the {@code events} table keeps it.
 *
 * @param messageId    the id given at ingest; the table's primary key, so redelivery stores it once
 * @param routingKey   where it was published
 * @param contentType  the payload's media type, e.g. {@code application/json}
 * @param payload      the payload bytes as received
 * @param eventTimeMs  when the event happened, by the sender's clock (Unix ms)
 * @param receivedAtMs when gamewire accepted it (Unix ms)
 * @param attributes   the envelope's attributes ({@code gw-source}, {@code gw-replay-of}, ...); empty
 *                     for events stored before the column existed
 */
public record StoredEvent(UUID messageId, RoutingKey routingKey, String contentType, byte[] payload,
                          long eventTimeMs, long receivedAtMs, Map<String, String> attributes) {

    public StoredEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * Where gamewire got it: its {@code gw-source} attribute ({@code http}, {@code tcp}, {@code pull},
     * {@code replay}, {@code console}); null when it has none. Stored in a column of its own too, for
     * queries by source.
     */
    public String source() {
        return attributes.get(ReservedAttributes.SOURCE);
    }

    /** An event without attributes. */
    public StoredEvent(UUID messageId, RoutingKey routingKey, String contentType, byte[] payload, long eventTimeMs,
                       long receivedAtMs) {
        this(messageId, routingKey, contentType, payload, eventTimeMs, receivedAtMs, Map.of());
    }
}
